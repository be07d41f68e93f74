import Foundation

/// Python's format-specification mini-language, for the replacement fields of f-strings
/// (`f"{loss:.4f}"`, `f"{i:03d}"`, `f"{name:>10}"`).
///
/// `[[fill]align][sign][z][#][0][width][grouping][.precision][type]`, with the number types
/// `e E f F g G %`, `d` (a whole-number float formats as an integer) and no type, and `s`
/// or no type for strings. Results match Python's `format(value, spec)`.
struct FormatSpec {
  /// A spec that cannot apply: its message, to be located at the field by the caller.
  struct Failure: Error {
    let message: String
  }

  /// The largest width or precision accepted (each formatted field stays small).
  static let maxField = 1000

  let text: String
  var fill: Character = " "
  var align: Character?
  var sign: Character = "-"
  var zeroNegative = false
  var alternate = false
  var width = 0
  var grouping: Character?
  var precision: Int?
  var type: Character?

  /// Parses `text` (without the leading `:`).
  init(_ text: String) throws {
    self.text = text
    let c = Array(text)
    var i = 0
    let aligns: Set<Character> = ["<", ">", "=", "^"]
    if c.count >= 2, aligns.contains(c[1]) {
      (fill, align, i) = (c[0], c[1], 2)
    } else if let first = c.first, aligns.contains(first) {
      (align, i) = (first, 1)
    }
    if i < c.count, "+- ".contains(c[i]) { (sign, i) = (c[i], i + 1) }
    if i < c.count, c[i] == "z" { (zeroNegative, i) = (true, i + 1) }
    if i < c.count, c[i] == "#" { (alternate, i) = (true, i + 1) }
    if i < c.count, c[i] == "0" {
      if align == nil { (fill, align) = ("0", "=") }
      i += 1
    }
    width = try Self.digits(c, &i, "width") ?? 0
    if i < c.count, c[i] == "," || c[i] == "_" { (grouping, i) = (c[i], i + 1) }
    if i < c.count, c[i] == "." {
      i += 1
      guard let p = try Self.digits(c, &i, "precision") else { throw Failure(message: "format spec '\(text)' has a '.' without a precision") }
      precision = p
    }
    if i < c.count, "eEfFgGd%s".contains(c[i]) { (type, i) = (c[i], i + 1) }
    guard i == c.count else {
      throw Failure(message: "invalid format spec '\(text)' (Python's mini-language: [[fill]align][sign][0][width][,][.precision][type])")
    }
  }

  /// A run of decimal digits at `i`, or nil when there is none.
  private static func digits(_ c: [Character], _ i: inout Int, _ what: String) throws -> Int? {
    let start = i
    while i < c.count, c[i].isASCII, c[i].isNumber { i += 1 }
    guard i > start else { return nil }
    guard let n = Int(String(c[start..<i])), n <= maxField else {
      throw Failure(message: "format \(what) \(String(c[start..<i])) is too large (the limit is \(maxField))")
    }
    return n
  }

  // MARK: - Strings

  /// `s` formatted: precision truncates, the default alignment is left.
  func format(string s: String) throws -> String {
    guard type == nil || type == "s" else {
      throw Failure(message: "format type '\(type.map(String.init) ?? "")' is for numbers, got a string")
    }
    guard sign == "-", !zeroNegative, !alternate, grouping == nil, align != "=" else {
      throw Failure(message: "format spec '\(text)' is not valid for a string (only fill, alignment, width and precision are)")
    }
    let body = precision.map { String(s.prefix($0)) } ?? s
    return pad("", body, defaultAlign: "<")
  }

  // MARK: - Numbers

  /// `v` formatted; `general` is the text shown when the spec has neither type nor precision
  /// (LossLang's own display of the number, as Python uses `str`).
  func format(number v: Double, general: String) throws -> String {
    guard type != "s" else { throw Failure(message: "format type 's' is for strings, got a number") }
    var negative = v.sign == .minus && !v.isNaN
    var body: String
    if type == nil, precision == nil {
      body = general.hasPrefix("-") ? String(general.dropFirst()) : general
    } else if !v.isFinite {
      body = v.isNaN ? "nan" : "inf"
      if let t = type, "EFG".contains(t) { body = body.uppercased() }
      if type == "%" { body += "%" }
    } else if type == "d" {
      guard v.rounded() == v, abs(v) < 9.2e18 else {
        throw Failure(message: "format type 'd' needs a whole number, got \(TensorFormatter.number(v))")
      }
      body = String(Int64(abs(v)))
    } else {
      body = fixedOrScientific(abs(v))
    }
    if zeroNegative, negative, v.isFinite, !body.contains(where: { ("1"..."9").contains($0) }) { negative = false }
    if let grouping { body = Self.group(body, with: grouping) }
    let signText = negative ? "-" : sign == "+" ? "+" : sign == " " ? " " : ""
    if fill == "0", align == "=", let grouping, body.first?.isNumber == true {
      body = Self.zeroPadGrouped(body, with: grouping, width: width - signText.count)
    }
    return pad(signText, body, defaultAlign: ">")
  }

  /// The digits of a finite, non-negative `a` for the types `e E f F g G %` and no type.
  private func fixedOrScientific(_ a: Double) -> String {
    let flag = alternate ? "#" : ""
    switch type {
    case "f", "F": return String(format: "%\(flag).*f", precision ?? 6, a)
    case "e", "E":
      let s = String(format: "%\(flag).*e", precision ?? 6, a)
      return type == "E" ? s.uppercased() : s
    case "g", "G":
      let s = String(format: "%\(flag).*g", max(precision ?? 6, 1), a)
      return type == "G" ? s.uppercased() : s
    case "%": return String(format: "%\(flag).*f", precision ?? 6, a * 100) + "%"
    default:
      // No type, with a precision: like `g`, but scientific from exp >= p - 1 on, and a
      // fixed-point result keeps one digit after the point.
      let p = max(precision ?? 6, 1)
      let scientific = String(format: "%.*e", p - 1, a)
      let exponent = Int(scientific.split(separator: "e").last ?? "0") ?? 0
      if exponent < -4 || exponent >= p - 1 {
        let parts = scientific.split(separator: "e", maxSplits: 1)
        var mantissa = String(parts[0])
        if mantissa.contains(".") && !alternate {
          while mantissa.hasSuffix("0") { mantissa.removeLast() }
          if mantissa.hasSuffix(".") { mantissa.removeLast() }
        }
        return mantissa + "e" + (parts.count > 1 ? parts[1] : "+00")
      }
      let fixed = String(format: "%\(flag).*g", p, a)
      return fixed.contains(".") || fixed.contains("e") ? fixed : fixed + ".0"
    }
  }

  /// `body` with `separator` between each group of three integer digits.
  private static func group(_ body: String, with separator: Character) -> String {
    let integerEnd = body.firstIndex { !$0.isNumber } ?? body.endIndex
    let digits = Array(body[..<integerEnd])
    var grouped = ""
    for (k, d) in digits.enumerated() {
      if k > 0, (digits.count - k) % 3 == 0 { grouped.append(separator) }
      grouped.append(d)
    }
    return grouped + body[integerEnd...]
  }

  /// A grouped `body` with leading zeros (grouped too) until it is `width` long, as Python
  /// zero-pads `format(1234.0, "012,.1f")` to `0,001,234.0`.
  private static func zeroPadGrouped(_ body: String, with separator: Character, width: Int) -> String {
    var padded = body
    var digits = String(body.prefix { $0.isNumber || $0 == separator }.filter(\.isNumber))
    let rest = body.drop { $0.isNumber || $0 == separator }
    while padded.count < width {
      digits = "0" + digits
      padded = group(digits, with: separator) + rest
    }
    return padded
  }

  /// `signText + body` padded with `fill` to `width`.
  private func pad(_ signText: String, _ body: String, defaultAlign: Character) -> String {
    let missing = width - signText.count - body.count
    guard missing > 0 else { return signText + body }
    let padding = String(repeating: fill, count: missing)
    switch align ?? defaultAlign {
    case "<": return signText + body + padding
    case "^":
      let left = String(repeating: fill, count: missing / 2)
      return left + signText + body + String(repeating: fill, count: missing - missing / 2)
    case "=": return signText + padding + body
    default: return padding + signText + body
    }
  }
}
