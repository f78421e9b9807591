import CLuaShim
import LuaHost
import XCTest

/// The state's allocator (smsh_heap_install in CLuaShim): freed small blocks are reused by
/// exact size, blocks move when they cross the 256-byte line, and nothing is corrupted by
/// reuse. (scripts/check-memory runs 100,000 calls under valgrind for leaks and bad access.)
final class LuaHeapTests: XCTestCase {
    func testReusedBlocksKeepTheirContentsThroughHeavyChurn() throws {
        let lua = try LuaState()
        let r = try lua.run("""
            local keep = {}
            for round = 1, 20 do
              local garbage = {}
              for size = 1, 300 do
                -- strings of every size across the small/large line, tables that grow past it
                garbage[size] = string.rep(string.char(65 + size % 26), size) .. round
                local t = {}
                for i = 1, size % 40 do t[i] = i * round end
                garbage[-size] = t
              end
              keep[round] = garbage[round * 15]
              garbage = nil
              collectgarbage()
            end
            for round = 1, 20 do
              local size = round * 15
              if keep[round] ~= string.rep(string.char(65 + size % 26), size) .. round then
                return false, round
              end
            end
            -- A table that grows from a few slots to thousands and shrinks back.
            local t = {}
            for i = 1, 5000 do t[i] = i end
            for i = 5000, 3, -1 do t[i] = nil end
            collectgarbage()
            local sum = 0
            for _, v in ipairs(t) do sum = sum + v end
            return true, sum
            """)
        XCTAssertEqual(r, [.boolean(true), .integer(3)])
    }

    func testMemoryIsCountedAndCollectedAsBefore() throws {
        let lua = try LuaState()
        let r = try lua.run("""
            collectgarbage()
            local before = collectgarbage("count")
            local rows = {}
            for i = 1, 100000 do rows[i] = {msisdn = "668" .. i, status = "delivered"} end
            local during = collectgarbage("count")
            rows = nil
            collectgarbage()
            collectgarbage()
            local after = collectgarbage("count")
            return during - before > 5000, after - before < 1024
            """)
        XCTAssertEqual(r, [.boolean(true), .boolean(true)], "100,000 rows take > 5 MB and are given back (Lua keeps its grown string table, as lua5.4 does)")
    }
}
