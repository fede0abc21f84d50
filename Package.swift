// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "Loket",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "loket", targets: ["loket"]),
    ],
    dependencies: [
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
    ],
    targets: [
        .target(name: "Money", swiftSettings: fuzzed),
        .target(name: "QRCode"),
        .target(
            name: "Flowix",
            dependencies: [
                "Money",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: fuzzed
        ),
        .target(
            name: "Loopback",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .target(
            name: "FlowixSandbox",
            dependencies: [
                "Flowix",
                "Loopback",
                "Money",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            exclude: ["README.md"]
        ),
        .target(
            name: "Conversation",
            dependencies: ["Money"],
            swiftSettings: fuzzed
        ),
        .target(
            name: "Telegram",
            dependencies: [
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: fuzzed
        ),
        .target(
            name: "FakeTelegram",
            dependencies: [
                "Loopback",
                "Telegram",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        .target(
            name: "LoketCore",
            dependencies: [
                "Conversation",
                "Flowix",
                "Ledger",
                "Money",
                "QRCode",
                "Telegram",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        .target(
            name: "Dashboard",
            dependencies: [
                "Conversation",
                "Ledger",
                "LoketCore",
                "Money",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "Locales",
            dependencies: ["Conversation", .product(name: "Yams", package: "Yams")],
            swiftSettings: fuzzed
        ),
        .target(
            name: "Ledger",
            dependencies: [
                "Money",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .executableTarget(
            name: "loket",
            dependencies: [
                "Dashboard",
                "Flowix",
                "FlowixSandbox",
                "Ledger",
                "Locales",
                "LoketCore",
                "Conversation",
                "FakeTelegram",
                "QRCode",
                "Telegram",
                "Money",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                "CMalloc",
            ],
            linkerSettings: releaseServerLinking
        ),
        .systemLibrary(name: "CSQLite", providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CMalloc"),
        .systemLibrary(name: "CFuzzer", path: "Fuzz/CFuzzer"),
        .executableTarget(
            name: "loket-sim",
            dependencies: [
                "Conversation",
                "Flowix",
                "FlowixSandbox",
                "Ledger",
                "Locales",
                "LoketCore",
                "Money",
                "Telegram",
                "FakeTelegram",
                "Loopback",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Simulation",
            exclude: ["README.md"]
        ),
        .executableTarget(
            name: "loket-bench",
            dependencies: [
                "CSQLite",
                "Dashboard",
                "Ledger",
                "Locales",
                "LoketCore",
                "Money",
                "FlowixSandbox",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            path: "Benchmarks",
            exclude: ["Baselines", "Fakes"]
        ),
        .executableTarget(
            name: "loket-faults",
            dependencies: [
                "FakeTelegram", "Flowix", "FlowixSandbox", "Ledger", "Loopback", "Money",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            path: "FaultSuite"
        ),
        .testTarget(
            name: "FlowixTests",
            dependencies: [
                "Flowix", "FlowixSandbox", "Loopback", "Money",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "LoketTests",
            dependencies: [
                "LoketCore", "FakeTelegram", "FlowixSandbox", "Flowix", "Ledger", "Locales", "Telegram", "Money", "Conversation", "TestSupport",
                "Dashboard",
                "loket",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(
            name: "TelegramTests",
            dependencies: [
                "Telegram", "FakeTelegram", "LoketCore", "Ledger",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(
            name: "ConversationTests",
            dependencies: ["Conversation", "Locales", "Money"]
        ),
        .testTarget(
            name: "DashboardTests",
            dependencies: [
                "Dashboard", "LoketCore", "Ledger", "Locales", "Money", "FlowixSandbox", "TestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
        .testTarget(
            name: "QRCodeTests",
            dependencies: ["QRCode", "TestSupport"]
        ),
        .target(
            name: "TestSupport",
            path: "Tests/Support"
        ),
        .testTarget(
            name: "MoneyTests",
            dependencies: ["Money"]
        ),
        .testTarget(
            name: "LedgerTests",
            // LedgerCrashWriter: built first, for the tests that kill it mid-write.
            dependencies: ["Ledger", "Money", "LedgerCrashWriter", "TestSupport", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .executableTarget(
            name: "LedgerCrashWriter",
            dependencies: ["Ledger", "Money"],
            path: "Tests/LedgerCrashWriter"
        ),
        // Coverage-guided fuzzing (Fuzz/README.md): the targets, the libFuzzer entry point / corpus
        // replayer, and the regression suite that replays every corpus and crash file in `swift test`.
        .target(
            name: "FuzzTargets",
            dependencies: ["Money", "Conversation", "Locales", "Flowix", "Telegram"],
            path: "Fuzz/Targets",
            swiftSettings: fuzzed
        ),
        .executableTarget(
            name: "loket-fuzz",
            dependencies: ["FuzzTargets", "CFuzzer"],
            path: "Fuzz/Main",
            swiftSettings: fuzzed + (fuzzing ? [.define("FUZZING")] : []),
            linkerSettings: fuzzing ? [.unsafeFlags(["-sanitize=\(sanitizers)"])] : []
        ),
        .testTarget(
            name: "FuzzRegressionTests",
            dependencies: ["FuzzTargets", "Conversation", "Flowix", "Locales", "Money", "Telegram"]
        ),
    ],
    swiftLanguageModes: [.v6]
)

/// How the release `loket` binary is linked on Linux, to keep the bot's resident memory small
/// (BENCHMARKS.md): lld lays the functions the bot runs out together, in the order
/// `Linking/loket.order` lists them (regenerate it with `Linking/order-symbols.sh`; names it no
/// longer finds are skipped), and packs relative relocations, so fewer pages are written at
/// start. Built with `--static-swift-stdlib`, this covers the Swift runtime and Foundation too.
/// Debug builds (tests) link as usual.
var releaseServerLinking: [LinkerSetting] {
    let order = Context.packageDirectory + "/Linking/loket.order"
    return [
        .unsafeFlags([
            "-use-ld=lld",
            "-Xlinker", "-z", "-Xlinker", "pack-relative-relocs",
            "-Xlinker", "--symbol-ordering-file=\(order)", "-Xlinker", "--no-warn-symbol-ordering",
        ], .when(platforms: [.linux], configuration: .release)),
    ]
}

/// `Fuzz/run.sh` builds `loket-fuzz` with `LOKET_FUZZ=fuzzer,address` (or `fuzzer`): the
/// project's own modules that the fuzz targets reach get libFuzzer's coverage and
/// AddressSanitizer, the packages under them are built as usual. Only `--product loket-fuzz` is
/// built that way (the other products do not link libFuzzer), and because the packages' build
/// commands do not change, a fuzz build in `.build` reuses them (CI saves a whole build).
var sanitizers: String { Context.environment["LOKET_FUZZ"] ?? "" }
var fuzzing: Bool { !sanitizers.isEmpty }
var fuzzed: [SwiftSetting] { fuzzing ? [.unsafeFlags(["-sanitize=\(sanitizers)"])] : [] }
