import Foundation
import Testing

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// An SVG document parsed by Foundation's XML parser (libxml2), which fails on anything not
/// well-formed, with look-ups by element name and class for the SVG structure tests.
struct ParsedSVG {
  /// The root element.
  let root: XMLElement

  /// Parses `text`; throws when it is not well-formed XML.
  init(_ text: String) throws {
    let document = try XMLDocument(xmlString: text, options: [])
    root = try #require(document.rootElement(), "no root element")
  }

  /// Every element (root included) in document order.
  var allElements: [XMLElement] { [root] + root.descendants }

  /// The elements whose `class` list contains `name`, in document order.
  func elements(class name: String) -> [XMLElement] {
    allElements.filter { $0.classes.contains(name) }
  }

  /// The one element whose `class` list contains `name`; the test fails when there is not
  /// exactly one.
  func element(class name: String) throws -> XMLElement {
    let found = elements(class: name)
    try #require(found.count == 1, "\(found.count) elements of class \(name)")
    return found[0]
  }
}

extension XMLElement {
  /// The element's descendants in document order.
  var descendants: [XMLElement] {
    (children ?? []).compactMap { $0 as? XMLElement }.flatMap { [$0] + $0.descendants }
  }

  /// The descendants named `name` (without namespace prefix).
  func descendants(named name: String) -> [XMLElement] {
    descendants.filter { ($0.localName ?? $0.name) == name }
  }

  /// The value of attribute `name` (read from the attribute list: `attribute(forName:)`
  /// finds nothing on elements in the SVG namespace with swift-corelibs-foundation).
  func value(_ name: String) -> String? {
    attributes?.first { $0.name == name }?.stringValue
  }

  /// The value of attribute `name` as a number, nil when absent or not a number.
  func number(_ name: String) -> Double? {
    value(name).flatMap(Double.init)
  }

  /// The names in the `class` attribute.
  var classes: [String] {
    (value("class") ?? "").split(separator: " ").map(String.init)
  }

  /// The text content.
  var text: String { stringValue ?? "" }
}
