import Testing

@testable import LossLang

/// Bars of the text renderer from eighth blocks. Expected text is derived from Unicode's
/// block elements: U+2580 + e is the lower e/8 block (U+2581 ▁ = 1/8 … U+2587 ▇ = 7/8,
/// U+2588 █ = full); a height of h cells is round(8h) eighths, filled from the bottom row up.
@Suite struct BlockBarsTests {
  @Test func partialEighthsStackOnFullBlocks() {
    // Heights 0, 1/8, 0.5, 1, 2.375 in 3 rows, one column each, one blank between bars:
    // 0 -> nothing; 1/8 -> 1 eighth (U+2581) at the bottom; 0.5 -> 4 eighths (U+2584);
    // 1 -> 8 eighths, one full block (U+2588); 2.375 -> 19 eighths = two full blocks and
    // 3 eighths (U+2583) on top.
    let bars = BlockBars(heights: [0, 0.125, 0.5, 1, 2.375], rows: 3, barWidth: 1, gap: 1)
    #expect(bars.columns == 9)
    #expect(
      bars.lines() == [
        "        \u{2583}",
        "        \u{2588}",
        "  \u{2581} \u{2584} \u{2588} \u{2588}",
      ])
  }

  @Test func wideBarsWithoutGaps() {
    // 1.5 -> 12 eighths: a full block below, 4 eighths (U+2584) above; 0.25 -> 2 eighths
    // (U+2582) in the bottom row; each twice, for bars two columns wide.
    let bars = BlockBars(heights: [1.5, 0.25], rows: 2, barWidth: 2, gap: 0)
    #expect(bars.lines() == ["\u{2584}\u{2584}  ", "\u{2588}\u{2588}\u{2582}\u{2582}"])
  }

  @Test func heightsRoundToTheNearestEighth() {
    // 0.06 · 8 = 0.48 -> 0 eighths; 0.07 · 8 = 0.56 -> 1 eighth (U+2581).
    #expect(BlockBars(heights: [0.06, 0.07], rows: 1).lines() == [" \u{2581}"])
  }

  @Test func heightsOutOfRangeAreClamped() {
    // Above the drawing (5 > 2 rows, +∞) fills the column; negative and NaN draw nothing.
    let bars = BlockBars(heights: [5, -1, .nan, .infinity], rows: 2)
    #expect(bars.lines() == ["\u{2588}  \u{2588}", "\u{2588}  \u{2588}"])
  }

  @Test func barsOccupyTheirColumns() {
    let bars = BlockBars(heights: [1, 2, 3], rows: 3, barWidth: 2, gap: 1)
    #expect(bars.columns == 8)
    #expect(bars.columnRange(ofBar: 0) == 0..<2)
    #expect(bars.columnRange(ofBar: 2) == 6..<8)
  }

  @Test func noBarsIsBlankRows() {
    #expect(BlockBars(heights: [], rows: 2).lines() == ["", ""])
    #expect(BlockBars(heights: [], rows: 2).columns == 0)
  }
}
