/// The mutable tree the parser fills; turned into `TOMLTable` values at the end.
final class TOMLTableNode {
    enum Slot {
        case value(TOMLValue, line: Int)
        case table(TOMLTableNode)
    }

    let line: Int
    var order: [String] = []
    var slots: [String: Slot] = [:]
    /// Defined by its own `[header]` (a second header is a duplicate).
    var definedByHeader = false
    /// Created by a dotted key (`a.b = 1` creates `a`): no `[a]` header may follow.
    var definedByDottedKey = false
    /// An inline table: complete as written.
    var sealed = false

    init(line: Int) { self.line = line }

    func set(_ key: String, _ slot: Slot) {
        if slots[key] == nil { order.append(key) }
        slots[key] = slot
    }

    var value: TOMLTable {
        var t = TOMLTable()
        for key in order {
            switch slots[key]! {
            case .value(let v, let line): t.set(key, v, line: line)
            case .table(let node): t.set(key, .table(node.value), line: node.line)
            }
        }
        return t
    }
}


extension TOMLTableNode {
    /// An inline table's value as a sealed node (so headers and dotted keys cannot extend it).
    static func sealedNode(_ t: TOMLTable, line: Int) -> TOMLTableNode {
        let node = TOMLTableNode(line: line)
        node.sealed = true
        for k in t.keys {
            let e = t.entries[k]!
            if case .table(let inner) = e.value {
                node.set(k, .table(sealedNode(inner, line: e.line)))
            } else {
                node.set(k, .value(e.value, line: e.line))
            }
        }
        return node
    }
}
