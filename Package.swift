// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "smsh",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "smsh", targets: ["smsh"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        // No default traits: "FullFoundation" would link all of Foundation and its ~34 MB of
        // ICU data into smsh (FoundationEssentials suffices), "ConfigurationSupport" is unused.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: []),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        // Already under AsyncHTTPClient; named so HTTPTransport can read TLS handshake errors.
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        // gzip for big response bodies in cassette sidecars (system zlib, apt zlib1g-dev).
        .package(url: "https://github.com/adam-fowler/compress-nio", from: "1.5.0"),
        // The Prometheus text format for --metrics. Start-up of `smsh -e ''` measured with and
        // without it (release, interleaved, 2026-12-07): CPU 4.87 vs 4.85 ms, no difference.
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    ],
    targets: [
        // Lua 5.4 from the system (apt liblua5.4-dev).
        .systemLibrary(
            name: "CLua", pkgConfig: "lua5.4",
            providers: [.apt(["liblua5.4-dev"])]),
        // Real functions for Lua's macros, and the trampoline that raises Lua errors
        // only after Swift has returned.
        .target(name: "CLuaShim", dependencies: ["CLua"]),
        // libedit (apt libedit-dev), loaded with dlopen only when the REPL starts.
        .target(name: "CEditLine"),

        // A pthread mutex with a condition variable, and detached threads (no full Foundation).
        .target(name: "Threading"),
        .target(name: "LuaHost", dependencies: ["CLua", "CLuaShim", "Threading"]),
        // Boundary stress test (valgrind) and call-overhead benchmark; see scripts/check-memory
        // and scripts/bench/call_overhead.
        .target(name: "CLuaBench", dependencies: ["CLua"], path: "Benchmarks/CLuaBench"),
        .executableTarget(name: "luahost-probe", dependencies: ["LuaHost", "CLuaShim", "CLuaBench"], path: "Benchmarks/LuaHostProbe"),
        .target(
            name: "SMSClient",
            dependencies: [
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                // TLSUserEvent: the proxy tunnel waits for the TLS handshake before writing.
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ]),
        .target(
            name: "SMSSimulator",
            dependencies: [
                "SMSClient",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ]),
        .target(
            name: "SMSFixtures",
            dependencies: [
                "SMSClient",
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ]),
        // SQLite from the system (apt libsqlite3-dev for the header), loaded with dlopen when
        // the state store first opens: runs without `once` start without it.
        .target(name: "CSQLite"),
        // What must outlive a run (send-once keys, campaign progress, trust) behind one protocol.
        .target(name: "SMSState", dependencies: ["CSQLite", "SMSClient", "Threading"]),
        // libpq (libpq.so.5), loaded with dlopen when a `state_url` store opens. postgres-nio
        // was measured first: it links Foundation with ICU's data (the stripped binary went from
        // 33 to 78 MB) and `smsh -e ''` start-up from 2.75x to 3.24x lua5.4's.
        .target(name: "CLibPQ"),
        // The state store on PostgreSQL (`state_url`): connects only when a run opens it.
        .target(name: "SMSStatePostgres", dependencies: ["CLibPQ", "SMSState", "SMSClient", "Threading"]),
        // The gates every send passes, shared by the Lua module and the one-off commands.
        .target(
            name: "SMSOperations",
            dependencies: ["SMSClient", "SMSState", "Threading", .product(name: "NIOConcurrencyHelpers", package: "swift-nio")]),
        // The documentation registry and what is generated from it (help() text, LuaLS
        // definitions, the luacheck standard): pure data, no Lua.
        .target(name: "SMSDocs"),
        .target(
            name: "SMSLua",
            dependencies: [
                "LuaHost", "SMSClient", "SMSOperations", "SMSState", "SMSDocs", "Threading",
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ]),
        // A run's figures in the Prometheus text format (--metrics FILE, --metrics-push URL).
        .target(
            name: "SMSMetrics",
            dependencies: ["SMSClient", .product(name: "Prometheus", package: "swift-prometheus")]),
        // config.toml, profiles and the effective settings (own small TOML reader, no dependency).
        .target(name: "SMSConfig"),
        .executableTarget(
            name: "smsh",
            dependencies: [
                "LuaHost", "SMSLua", "SMSClient", "SMSSimulator", "SMSFixtures", "SMSConfig", "CEditLine",
                "SMSOperations", "SMSState", "SMSDocs", "SMSMetrics", "SMSStatePostgres",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            // Start-up of the release binary (scripts/bench/call_overhead; README "Start-up"):
            // - lld packs the ~120,000 relative relocations (DT_RELR, glibc >= 2.36) so the
            //   loader reads 20 KB of them instead of 2.9 MB;
            // - no-export-dynamic keeps smsh's own 34,000 symbols out of the dynamic symbol
            //   table, which the Swift runtime's start-up dladdr() scans linearly (nothing looks
            //   smsh's symbols up at run time: Lua C modules link against liblua);
            // - scripts/link/libstdc++.so makes -lstdc++ the static libstdc++.a, which saves
            //   loading libstdc++.so.6 and its ~1,700 symbol bindings on every start.
            linkerSettings: [
                .unsafeFlags(
                    ["-use-ld=lld", "-Xlinker", "-z", "-Xlinker", "pack-relative-relocs",
                     "-Xlinker", "--no-export-dynamic", "-L", Context.packageDirectory + "/scripts/link"],
                    .when(configuration: .release)),
            ]),

        // Scale benchmark of the API client (scripts/bench/client_scale).
        .executableTarget(name: "smsh-lua-bench", dependencies: ["SMSLua", "LuaHost", "SMSClient"], path: "Benchmarks/SMSLuaBench"),
        .executableTarget(name: "SMSClientBench", dependencies: ["SMSClient", "SMSSimulator"], path: "Benchmarks/SMSClientBench"),

        .testTarget(name: "LuaHostTests", dependencies: ["LuaHost", "CLuaShim"]),
        // A real TLS server on loopback (openssl s_server) for the TLS tests of two targets.
        .target(name: "TLSTestSupport", path: "Tests/TLSTestSupport"),
        .testTarget(name: "SMSClientTests", dependencies: ["SMSClient", "SMSSimulator", "TLSTestSupport"]),
        .testTarget(
            name: "SMSSimulatorTests",
            dependencies: [
                "SMSSimulator", "SMSClient",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ]),
        .testTarget(name: "SMSFixturesTests", dependencies: ["SMSFixtures", "SMSClient"]),
        .testTarget(name: "SMSLuaTests", dependencies: ["SMSLua", "LuaHost", "SMSOperations", "SMSState", "SMSDocs", "SMSSimulator"]),
        .testTarget(name: "SMSDocsTests", dependencies: ["SMSDocs"]),
        .testTarget(name: "SMSConfigTests", dependencies: ["SMSConfig"]),
        .testTarget(name: "SMSMetricsTests", dependencies: ["SMSMetrics", "SMSClient"]),
        // A throw-away PostgreSQL cluster (initdb + pg_ctl on loopback) for the state tests.
        .target(name: "PostgresTestSupport", dependencies: ["TLSTestSupport"], path: "Tests/PostgresTestSupport"),
        .testTarget(name: "SMSStateTests", dependencies: ["SMSState", "SMSClient", "SMSStatePostgres", "PostgresTestSupport", "TLSTestSupport"]),
        .testTarget(name: "SMSOperationsTests", dependencies: ["SMSOperations", "SMSState", "SMSClient", "SMSSimulator"]),
        .testTarget(name: "smshTests", dependencies: ["smsh", "TLSTestSupport", "PostgresTestSupport"]),
    ]
)
