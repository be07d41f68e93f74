/// The standard library's `.loss` sources, compiled into the library so the prelude is
/// found from any working directory, installed or embedded, with no environment variables.
///
/// `Runtime/Stdlib` is a symbolic link to `stdlib/`, which Package.swift embeds in code as a
/// resource (SwiftPM's `PackageResources`): the files in `stdlib/` are the only copy.
/// A new module is listed here too (`StdlibTests` checks that every one is).
enum EmbeddedStdlib {
  /// Text by file name (`prelude.loss`, …).
  static let modules: [String: String] = [
    "classification.loss": PackageResources.classification_loss,
    "common.loss": PackageResources.common_loss,
    "embedding.loss": PackageResources.embedding_loss,
    "layers.loss": PackageResources.layers_loss,
    "multitask.loss": PackageResources.multitask_loss,
    "preference.loss": PackageResources.preference_loss,
    "prelude.loss": PackageResources.prelude_loss,
    "ranking.loss": PackageResources.ranking_loss,
    "regression.loss": PackageResources.regression_loss,
    "schedules.loss": PackageResources.schedules_loss,
    "sequence.loss": PackageResources.sequence_loss,
  ].mapValues { String(decoding: $0, as: UTF8.self) }
}
