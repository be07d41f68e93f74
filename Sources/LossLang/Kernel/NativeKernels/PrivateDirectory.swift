import Foundation

/// A directory that only this user can write: where native kernels are compiled and cached.
///
/// A library in the kernel cache is code the process runs, so the cache must be a place no
/// one else can plant a file in: a directory owned by this user and writable by neither
/// group nor others. Every directory `PrivateDirectory` creates is made with mode 0700 and
/// checked after creation (another user may have created it first); a directory that fails
/// the check is refused, never repaired. Files are written durably (`fsync` of the file
/// before its rename and of the directory after it), so a crash never leaves a truncated
/// file under a final name, and read only when this user owns them and no one else can
/// write them.
struct PrivateDirectory {
  /// The directory.
  let url: URL

  /// `url`, created with its missing parents if needed, or nil when it, or a directory
  /// created for it, is not a directory owned by this user that no one else can write.
  static func open(_ url: URL) -> PrivateDirectory? {
    var missing: [String] = []
    var path = url.standardizedFileURL.path
    while access(path, F_OK) != 0, errno == ENOENT, path != "/" {
      missing.append(path)
      path = (path as NSString).deletingLastPathComponent
    }
    for component in missing.reversed() where mkdir(component, 0o700) != 0 && errno != EEXIST {
      return nil
    }
    // The named directory may be a symbolic link the user made; one created here may not.
    guard isPrivate(url.path, following: true), missing.allSatisfy({ isPrivate($0, following: false) })
    else { return nil }
    return PrivateDirectory(url: url)
  }

  /// The directory `name` in this one, created if needed, or nil when it is not a directory
  /// (a symbolic link, say) owned by this user that no one else can write.
  func subdirectory(_ name: String) -> PrivateDirectory? {
    guard mkdir(path(name), 0o700) == 0 || errno == EEXIST, Self.isPrivate(path(name), following: false)
    else { return nil }
    return PrivateDirectory(url: url.appendingPathComponent(name))
  }

  /// A new directory under `parent` that nothing else uses (mkdtemp, mode 0700), or nil.
  static func unique(in parent: URL, prefix: String) -> PrivateDirectory? {
    var template = Array(parent.appendingPathComponent("\(prefix).XXXXXX").path.utf8CString)
    let made = template.withUnsafeMutableBufferPointer { $0.baseAddress.flatMap(mkdtemp) != nil }
    guard made else { return nil }
    let path = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
    guard isPrivate(path, following: false) else { return nil }
    return PrivateDirectory(url: URL(fileURLWithPath: path))
  }

  /// Whether `path` is a directory owned by this user that neither group nor others can
  /// write (`following`: through a symbolic link).
  static func isPrivate(_ path: String, following: Bool) -> Bool {
    var info = stat()
    guard (following ? stat(path, &info) : lstat(path, &info)) == 0 else { return false }
    return info.st_mode & S_IFMT == S_IFDIR && info.st_uid == geteuid() && info.st_mode & 0o022 == 0
  }

  /// The path of `name` in the directory.
  func path(_ name: String) -> String { url.appendingPathComponent(name).path }

  /// The bytes of the regular file `name`, if this user owns it, no one else can write it,
  /// and it has at most `limit` bytes; nil otherwise (missing, unreadable, foreign).
  func read(_ name: String, limit: Int = 1 << 26) -> [UInt8]? {
    let fd = Foundation.open(path(name), O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var info = stat()
    guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG, info.st_uid == geteuid(),
      info.st_mode & 0o022 == 0, info.st_size <= limit
    else { return nil }
    var bytes = [UInt8](repeating: 0, count: Int(info.st_size))
    var done = 0
    while done < bytes.count {
      let n = bytes.withUnsafeMutableBytes { Foundation.read(fd, $0.baseAddress.map { $0 + done }, $0.count - done) }
      if n < 0 && errno == EINTR { continue }
      guard n > 0 else { return nil }
      done += n
    }
    return bytes
  }

  /// Writes `bytes` to the new file `name` (mode 0600) and flushes it to the disk.
  func write(_ bytes: [UInt8], to name: String) throws {
    let fd = Foundation.open(path(name), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
    guard fd >= 0 else { throw CocoaError(.fileWriteUnknown) }
    defer { close(fd) }
    var done = 0
    while done < bytes.count {
      let n = bytes.withUnsafeBytes { Foundation.write(fd, $0.baseAddress.map { $0 + done }, $0.count - done) }
      if n < 0 && errno == EINTR { continue }
      guard n > 0 else { throw CocoaError(.fileWriteUnknown) }
      done += n
    }
    guard fsync(fd) == 0 else { throw CocoaError(.fileWriteUnknown) }
  }

  /// Flushes the file `name` (written by another program) to the disk.
  func sync(_ name: String) throws {
    let fd = Foundation.open(path(name), O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
    guard fd >= 0 else { throw CocoaError(.fileWriteUnknown) }
    defer { close(fd) }
    guard fsync(fd) == 0 else { throw CocoaError(.fileWriteUnknown) }
  }

  /// Renames the flushed file `name` into `destination` (on the same file system), replacing
  /// the file there in one step (readers see either file whole), and flushes the entry.
  func move(_ name: String, to destination: PrivateDirectory) throws {
    guard rename(path(name), destination.path(name)) == 0 else { throw CocoaError(.fileWriteUnknown) }
    let fd = Foundation.open(destination.url.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    guard fd >= 0 else { throw CocoaError(.fileWriteUnknown) }
    defer { close(fd) }
    guard fsync(fd) == 0 else { throw CocoaError(.fileWriteUnknown) }
  }

  /// Removes the directory and everything in it.
  func remove() {
    try? FileManager.default.removeItem(at: url)
  }
}
