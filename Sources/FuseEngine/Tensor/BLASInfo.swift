import CBLAS

/// What the linked OpenBLAS is doing: the CPU kernel it chose and its thread count.
///
/// OpenBLAS picks its kernels when it loads, from the CPU's model. On virtual machines
/// that report a generic CPU model it can fall back to the slow `Prescott` kernels even
/// when the CPU has AVX-512; setting the environment variable `OPENBLAS_CORETYPE`
/// (for example `SkylakeX` or `Haswell`) before the process starts overrides the choice.
public enum BLASInfo {
  /// The kernel family in use, such as "SkylakeX", "Haswell" or "Prescott".
  public static var coreName: String {
    guard let name = openblas_get_corename() else { return "unknown" }
    return String(cString: name)
  }

  /// The build options OpenBLAS reports (version, threading, dynamic architecture).
  public static var configuration: String {
    guard let text = openblas_get_config() else { return "unknown" }
    return String(cString: text)
  }

  /// The number of threads a matrix product may use. Results are reproducible for a
  /// fixed thread count; a different count can change the last bits of sums.
  public static var threadCount: Int {
    get { Int(openblas_get_num_threads()) }
    set { openblas_set_num_threads(Int32(max(newValue, 1))) }
  }

  /// True when OpenBLAS runs its generic fallback kernels, which are several times slower
  /// than the CPU allows; a front end can suggest `OPENBLAS_CORETYPE`.
  public static var usesFallbackKernels: Bool {
    ["prescott", "katmai", "coppermine", "northwood", "banias"].contains(coreName.lowercased())
  }
}
