// swift-tools-version:6.0
import PackageDescription

let package = Package(
  name: "FuseLab",
  products: [
    .executable(name: "fuselab", targets: ["fuselab"]),
    .library(name: "FuseEngine", targets: ["FuseEngine"]),
    .library(name: "FuseLanguage", targets: ["FuseLanguage"]),
  ],
  targets: [
    .systemLibrary(
      name: "CBLAS", path: "Sources/CBLAS",
      providers: [.apt(["libopenblas-dev"])]),
    .systemLibrary(
      name: "CReadline", path: "Sources/CReadline",
      providers: [.apt(["libreadline-dev"])]),
    .target(name: "FuseFormat", exclude: ["README.md"]),
    .target(name: "FuseEngine", dependencies: ["CBLAS", "FuseFormat"], exclude: ["README.md"]),
    .target(name: "FusePlot", dependencies: ["FuseFormat"], exclude: ["README.md"]),
    .target(
      name: "FuseLanguage", dependencies: ["FuseEngine", "FusePlot", "FuseFormat"],
      exclude: ["README.md"]),
    .executableTarget(
      name: "fuselab",
      dependencies: ["FuseLanguage", "FuseEngine", "FusePlot", "FuseFormat", "CReadline"]),
    .executableTarget(
      name: "encoder-bench", dependencies: ["FuseEngine"], path: "benchmarks/encoder-bench"),
    .target(name: "AllocationCounter", path: "Tests/AllocationCounter"),
    .testTarget(
      name: "FuseEngineTests", dependencies: ["FuseEngine", "FuseFormat", "AllocationCounter"],
      exclude: ["Fixtures"]),
    .testTarget(
      name: "FusePlotTests", dependencies: ["FusePlot", "FuseFormat"], exclude: ["Golden"]),
    .testTarget(
      name: "FuseLanguageTests", dependencies: ["FuseLanguage", "FuseFormat"], exclude: ["Golden"]),
    .testTarget(name: "fuselabTests", dependencies: ["fuselab"]),
    .testTarget(name: "EndToEndTests", dependencies: ["FuseLanguage"], exclude: ["Golden"]),
  ],
  swiftLanguageModes: [.v5]
)
