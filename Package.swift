// swift-tools-version: 6.1
import PackageDescription

/// One settings list for every Swift target: upcoming features that keep imports and existentials explicit.
/// - ExistentialAny (SE-0335): https://github.com/swiftlang/swift-evolution/blob/main/proposals/0335-existential-any.md
/// - InternalImportsByDefault (SE-0409): https://github.com/swiftlang/swift-evolution/blob/main/proposals/0409-access-level-on-imports.md
/// - MemberImportVisibility (SE-0444): https://github.com/swiftlang/swift-evolution/blob/main/proposals/0444-member-import-visibility.md
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "CityTwin",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "citytwin", targets: ["citytwin"]),
        .library(name: "LinearAlgebra", targets: ["LinearAlgebra"]),
        .library(name: "CityTwinCore", targets: ["CityTwinCore"]),
        .library(name: "Population", targets: ["Population"]),
        .library(name: "Economy", targets: ["Economy"]),
        .library(name: "Resources", targets: ["Resources"]),
        .library(name: "Scenario", targets: ["Scenario"]),
        .library(name: "Forecast", targets: ["Forecast"]),
        .library(name: "Traffic", targets: ["Traffic"]),
        .library(name: "Calibration", targets: ["Calibration"]),
        .library(name: "Research", targets: ["Research"]),
    ],
    traits: [
        // `swift build --traits MPI` (needs libopenmpi-dev): `citytwin` under `mpirun` deals ensemble members and
        // model runs over the ranks (README "Running on a cluster with MPI"). Off by default: no MPI needed.
        .trait(name: "MPI", description: "Distributed runs under mpirun (Open MPI, pkg-config ompi-c)")
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        // The run archive: SQLite through GRDB (Linux: the system libsqlite3, `libsqlite3-dev`).
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
    ],
    targets: [
        // C boundary: only LinearAlgebra imports these.
        .systemLibrary(name: "CBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CLAPACKE", pkgConfig: "lapacke", providers: [.apt(["liblapacke-dev"])]),
        // C boundary to MPI: only CityTwinMPI imports it, and only with the `MPI` trait.
        .systemLibrary(name: "CMPI", pkgConfig: "ompi-c", providers: [.apt(["libopenmpi-dev"])]),

        .target(name: "LinearAlgebra", dependencies: ["CBLAS", "CLAPACKE"], exclude: ["README.md"], swiftSettings: swiftSettings),
        .target(
            name: "CityTwinCore",
            dependencies: ["LinearAlgebra", .product(name: "Yams", package: "Yams")],
            exclude: ["README.md"],
            swiftSettings: swiftSettings
        ),
        .target(name: "Population", dependencies: ["CityTwinCore", "LinearAlgebra"], exclude: ["README.md"], swiftSettings: swiftSettings),
        .target(name: "Economy", dependencies: ["CityTwinCore", "LinearAlgebra"], exclude: ["README.md"], swiftSettings: swiftSettings),
        .target(name: "Resources", dependencies: ["CityTwinCore", "LinearAlgebra"], exclude: ["README.md"], swiftSettings: swiftSettings),
        .target(
            name: "Scenario",
            dependencies: [
                "CityTwinCore", "LinearAlgebra", "Population", "Economy", "Resources", "Traffic",
            ],
            exclude: ["README.md"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Forecast",
            dependencies: ["CityTwinCore", "LinearAlgebra", "Scenario", "Traffic", .product(name: "GRDB", package: "GRDB.swift")],
            exclude: ["README.md"],
            swiftSettings: swiftSettings
        ),
        .target(name: "Traffic", dependencies: ["CityTwinCore", "LinearAlgebra"], exclude: ["README.md"], swiftSettings: swiftSettings),
        // Fitting, sensitivity analysis and data assimilation (DESIGN.md §7); needs only LinearAlgebra.
        .target(name: "Calibration", dependencies: ["LinearAlgebra"], exclude: ["README.md"], swiftSettings: swiftSettings),
        // Calibration, sensitivity analysis and assimilation of the engine's models against observations.
        .target(
            name: "Research",
            dependencies: ["Calibration", "Scenario", "Forecast", "CityTwinCore", "LinearAlgebra", "Population"],
            exclude: ["README.md"],
            swiftSettings: swiftSettings
        ),
        // MPIProcessGroup (Forecast's ProcessGroup over MPI_COMM_WORLD); empty unless the `MPI` trait is on.
        .target(
            name: "CityTwinMPI",
            dependencies: ["Forecast", .target(name: "CMPI", condition: .when(traits: ["MPI"]))],
            exclude: ["README.md"],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "citytwin",
            dependencies: [
                "CityTwinCore", "LinearAlgebra", "Scenario", "Forecast", "Traffic", "Research", "Calibration",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .target(name: "CityTwinMPI", condition: .when(traits: ["MPI"])),
            ],
            exclude: ["README.md"],
            swiftSettings: swiftSettings
        ),

        // Helpers shared by the test targets: seeded random inputs, the repository root, the sample city loaded as the
        // CLI loads it, golden-forecast comparison. A regular target (test targets cannot depend on test targets) that
        // only test targets depend on and no product exports; it lives under Tests/ beside its users.
        .target(
            name: "TestSupport",
            dependencies: ["LinearAlgebra", "CityTwinCore", "Scenario"],
            path: "Tests/TestSupport",
            exclude: ["README.md"],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "LinearAlgebraTests", dependencies: ["LinearAlgebra", "TestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "CityTwinCoreTests", dependencies: ["CityTwinCore"], swiftSettings: swiftSettings),
        .testTarget(
            name: "PopulationTests",
            dependencies: ["Population", "CityTwinCore", "LinearAlgebra"],
            exclude: ["Fixtures"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ScenarioTests",
            dependencies: ["Scenario", "Forecast", "CityTwinCore", "Population", "LinearAlgebra", "TestSupport"],
            exclude: ["Snapshots"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "EconomyTests",
            dependencies: ["Economy", "CityTwinCore", "LinearAlgebra"],
            resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ResourcesTests",
            dependencies: ["Resources", "Economy", "CityTwinCore", "LinearAlgebra", "Scenario", "TestSupport"],
            resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "CLITests", dependencies: ["citytwin", "TestSupport"], swiftSettings: swiftSettings),
        .testTarget(
            name: "TrafficTests", dependencies: ["Traffic", "LinearAlgebra", "CityTwinCore", "TestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ResearchTests",
            dependencies: ["Research", "Calibration", "Scenario", "Forecast", "CityTwinCore", "LinearAlgebra"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CalibrationTests",
            dependencies: ["Calibration", "LinearAlgebra"],
            resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ForecastTests",
            dependencies: ["Forecast", "Scenario", "CityTwinCore", "TestSupport"],
            swiftSettings: swiftSettings
        ),
    ]
)
