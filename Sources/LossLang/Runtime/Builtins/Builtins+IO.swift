/// File builtins: `load save load_csv`. Relative paths are relative to the working directory.
extension Builtins {
  static func registerIO(in r: Registry) {
    r.builtin("load", ["path"], category: "io",
              doc: "load(path): reads a NumPy .npy file (float32/float64/int32/int64/bool; ints and bools become float32).") { a in
      let path = try a.string(0)
      do {
        return .tensor(a.tracer.constant(try NpyFormat.read(path: path)))
      } catch let e as TensorError {
        throw TensorError(e.isIO ? e.message : "cannot load '\(path)': \(e.message)", isIO: true)
      }
    }
    r.builtin("save", ["path", "x"], category: "io", doc: "save(path, x): writes x to a NumPy .npy file (C order, <f4 or <f8).") { a in
      try NpyFormat.write(a.evaluator.materialize(a.tensor(1)), path: a.string(0))
      return .none
    }
    r.builtin("load_csv", ["path"], category: "io",
              doc: "load_csv(path): reads a numeric CSV file into a 2-D float32 tensor; a non-numeric first row is taken as a header and skipped.") { a in
      let path = try a.string(0)
      do {
        return .tensor(a.tracer.constant(try CSVReader.read(path: path)))
      } catch let e as TensorError {
        throw TensorError(e.message, isIO: true)
      }
    }
  }
}
