/// Data builtins: `load_dataset` (the data sets shipped with LossLang, Training/Datasets).
extension Builtins {
  static func registerData(in r: Registry) {
    let known = ShippedDataset.names.map { "\"\($0)\"" }.joined(separator: ", ")
    r.builtin("load_dataset", ["name"], category: "data",
              doc: "load_dataset(name): [x, y], a data set shipped with LossLang. \"digits\": the 1 797 8×8 handwritten digits (UCI \"Optical Recognition of Handwritten Digits\", Alpaydin & Kaynak 1998, CC BY 4.0, as scikit-learn's load_digits ships them): x float32 (1797, 64) of pixel counts 0…16, y float32 (1797) class indices 0…9 (cross_entropy(logits, y) takes them). Known names: \(known).") { a in
      let name = try a.string(0)
      guard let dataset = ShippedDataset(rawValue: name) else {
        throw a.error(0, "must name a data set shipped with LossLang (\(known)), got \"\(name)\"")
      }
      let (x, y) = try dataset.load()
      try a.tracer.checkSize(x.shape, x.dtype)
      try a.tracer.checkSize(y.shape, y.dtype)
      return .list([.tensor(a.tracer.constant(x)), .tensor(a.tracer.constant(y))])
    }
  }
}
