// swift-tools-version: 6.1
import PackageDescription

// Benchmarks live in their own package so that package-benchmark never enters the main build.
let package = Package(
    name: "CityTwinBenchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
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
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
