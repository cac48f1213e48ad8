// swift-tools-version: 6.1
import PackageDescription

// CityTwin's benchmarks: a package of their own, depending on the engine at "..", so that
// package-benchmark and its dependencies never enter the main build or `swift test`.
//
// Layout (package-benchmark's convention): each benchmark suite is an executable target under
// Benchmarks/<Suite>/ with the BenchmarkPlugin; shared fixtures and plain timing tools live under
// Sources/. To add a suite, add one `.executableTarget` to `targets` below, modelled on
// PopulationBenchmarks. Run: `OPENBLAS_NUM_THREADS=1 swift package benchmark` (see README.md).

/// The same upcoming features as the engine's Package.swift.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "CityTwinBenchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        // Named, because a path dependency's identity is otherwise its folder's name (`main`, or a
        // worktree's), which the `.product(…, package:)` lines below could not spell.
.package(name: "CityTwin", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.0", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "EconomyBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "Economy", package: "CityTwin"),
                .product(name: "Resources", package: "CityTwin"),
                .product(name: "CityTwinCore", package: "CityTwin"),
                .product(name: "LinearAlgebra", package: "CityTwin"),
            ],
            path: "Benchmarks/EconomyBenchmarks",
            swiftSettings: swiftSettings,
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),

        // Seeded synthetic inputs shared by the population suite and the timing tool (and mirrored by
        // reference/population.py, so that Swift and numpy run on the same numbers).
        .target(
            name: "PopulationFixtures",
            dependencies: [
                .product(name: "Population", package: "CityTwin"),
                .product(name: "LinearAlgebra", package: "CityTwin"),
            ],
            path: "Sources/PopulationFixtures",
            swiftSettings: swiftSettings
        ),

        // package-benchmark suites (the canonical benchmarks).
        .executableTarget(
            name: "TrafficBenchmarks",
            dependencies: [
                .product(name: "Traffic", package: "CityTwin"),
                .product(name: "LinearAlgebra", package: "CityTwin"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/TrafficBenchmarks",
            swiftSettings: swiftSettings,
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "PopulationBenchmarks",
            dependencies: [
                "PopulationFixtures",
                .product(name: "Population", package: "CityTwin"),
                .product(name: "LinearAlgebra", package: "CityTwin"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/PopulationBenchmarks",
            swiftSettings: swiftSettings,
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),

        .executableTarget(
            name: "EnsembleBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "Scenario", package: "CityTwin"),
                .product(name: "Forecast", package: "CityTwin"),
                .product(name: "LinearAlgebra", package: "CityTwin"),
            ],
            path: "Benchmarks/EnsembleBenchmarks",
            swiftSettings: swiftSettings,
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),

        // Issue 13: ensemble Kalman analyses (ETKF, stochastic EnKF) at n = 10⁴, N = 100, m = 10³; the seeded
        // fixture is shared with the plain timer below and mirrored by reference/enkf.py.
        .target(
            name: "CalibrationFixtures",
            dependencies: [
                .product(name: "Calibration", package: "CityTwin"),
                .product(name: "LinearAlgebra", package: "CityTwin"),
            ],
            path: "Sources/CalibrationFixtures",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "CalibrationBenchmarks",
            dependencies: [
                "CalibrationFixtures",
                .product(name: "Calibration", package: "CityTwin"),
                .product(name: "LinearAlgebra", package: "CityTwin"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/CalibrationBenchmarks",
            swiftSettings: swiftSettings,
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        // Plain timer for compare-calibration.sh (Swift against reference/enkf.py).
        .executableTarget(
            name: "CalibrationTiming",
            dependencies: [
                "CalibrationFixtures",
                .product(name: "Calibration", package: "CityTwin"),
                .product(name: "LinearAlgebra", package: "CityTwin"),
            ],
            path: "Sources/CalibrationTiming",
            swiftSettings: swiftSettings
        ),

        // Plain timing tool for compare-population.sh: median of repeated runs, one parseable line per case,
        // and a `check` mode that prints a small projection for reference/population.py to compare.
        .executableTarget(
            name: "PopulationTiming",
            dependencies: [
                "PopulationFixtures",
                .product(name: "Population", package: "CityTwin"),
                .product(name: "LinearAlgebra", package: "CityTwin"),
            ],
            path: "Sources/PopulationTiming",
            swiftSettings: swiftSettings
        ),
    ]
)
