import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// A child process running on a pseudo-terminal, driven like a user at a keyboard.
///
/// The child gets a new session whose controlling terminal is the pty, so Ctrl-C typed
/// into it (`\u{3}`) raises SIGINT as on a real terminal. `expect` waits for text to appear
/// (ANSI escapes, carriage returns and bells are removed before matching) with a deadline,
/// so tests never sleep blindly and never hang. The child is killed when the session closes.
final class PseudoTerminal {
  /// Raised when the child does not behave in time.
  struct Failure: Error, CustomStringConvertible {
    let description: String
  }

  private let master: Int32
  private let pid: pid_t
  private var raw: [UInt8] = []
  /// Offset in the cleaned output up to which `expect` has consumed.
  private var consumed = 0
  private var exitStatus: Int32?

  /// Starts `executable` on a new `columns`×24 pty (80 by default) with exactly `environment`,
  /// in `directory`.
  init(
    executable: String, arguments: [String] = [], environment: [String: String], directory: String, columns: UInt16 = 80
  ) throws {
    guard let openpt = Self.libc("posix_openpt", as: CIntFunction.self),
      let grantpt = Self.libc("grantpt", as: CIntFunction.self),
      let unlockpt = Self.libc("unlockpt", as: CIntFunction.self),
      let ptsname = Self.libc("ptsname_r", as: PtsName.self)
    else { throw Failure(description: "pseudo-terminal functions not found in libc") }
    master = openpt(O_RDWR | O_NOCTTY | O_CLOEXEC)
    guard master >= 0, grantpt(master) == 0, unlockpt(master) == 0 else {
      throw Failure(description: "cannot open a pseudo-terminal (errno \(errno))")
    }
    var name = [CChar](repeating: 0, count: 128)
    guard ptsname(master, &name, name.count) == 0 else {
      close(master)
      throw Failure(description: "ptsname_r failed")
    }
    var size = winsize(ws_row: 24, ws_col: columns, ws_xpixel: 0, ws_ypixel: 0)
    _ = ioctl(master, UInt(TIOCSWINSZ), &size)
    _ = fcntl(master, F_SETFL, fcntl(master, F_GETFL) | O_NONBLOCK)

    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    // Opened after setsid (glibc runs it before the file actions): becomes the controlling tty.
    posix_spawn_file_actions_addopen(&actions, 0, name, O_RDWR, 0)
    posix_spawn_file_actions_adddup2(&actions, 0, 1)
    posix_spawn_file_actions_adddup2(&actions, 0, 2)
    if let chdir = Self.libc("posix_spawn_file_actions_addchdir_np", as: ChangeDirectory.self) {
      _ = chdir(&actions, directory)
    }
    if let closeFrom = Self.libc("posix_spawn_file_actions_addclosefrom_np", as: CloseFrom.self) {
      _ = closeFrom(&actions, 3)  // no pipe of a concurrently running test leaks into the child
    }
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var signals = sigset_t()
    sigemptyset(&signals)
    posix_spawnattr_setsigmask(&attributes, &signals)
    sigaddset(&signals, SIGINT)
    sigaddset(&signals, SIGPIPE)
    posix_spawnattr_setsigdefault(&attributes, &signals)
    let setsid: Int16 = 0x80  // POSIX_SPAWN_SETSID (glibc), not exported to Swift
    posix_spawnattr_setflags(
      &attributes, Int16(POSIX_SPAWN_SETSIGMASK) | Int16(POSIX_SPAWN_SETSIGDEF) | setsid)

    let argv = ([executable] + arguments).map { strdup($0) } + [nil]
    let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer { (argv + envp).forEach { free($0) } }
    var child: pid_t = 0
    let status = posix_spawn(&child, executable, &actions, &attributes, argv, envp)
    guard status == 0 else {
      close(master)
      throw Failure(description: "posix_spawn \(executable) failed: \(status)")
    }
    pid = child
  }

  deinit { terminate() }

  /// Types text (use `\t` for Tab, `\u{3}` for Ctrl-C, `\u{4}` for Ctrl-D, `\u{1b}[A` for Up).
  func send(_ text: String) {
    var bytes = Array(text.utf8)
    while !bytes.isEmpty {
      let n = bytes.withUnsafeBytes { write(master, $0.baseAddress, $0.count) }
      if n > 0 {
        bytes.removeFirst(n)
      } else if n < 0, errno != EAGAIN, errno != EINTR {
        return
      } else {
        usleep(1000)
      }
    }
  }

  /// Waits until `text` appears in the output after what earlier calls consumed; returns the
  /// cleaned output up to and including it.
  @discardableResult
  func expect(_ text: String, timeout: Double = 10) throws -> String {
    let deadline = Date().addingTimeInterval(timeout)
    while true {
      let output = cleaned
      let start = output.index(output.startIndex, offsetBy: min(consumed, output.count))
      if let range = output.range(of: text, range: start..<output.endIndex) {
        consumed = output.distance(from: output.startIndex, to: range.upperBound)
        return String(output[start..<range.upperBound])
      }
      guard Date() < deadline, pump(until: deadline) else {
        throw Failure(description: "timed out waiting for \(text.debugDescription); output so far:\n\(output)")
      }
    }
  }

  /// Everything the child wrote that `expect` has not consumed, after reading what is ready.
  func unconsumed() -> String {
    _ = pump(until: Date().addingTimeInterval(0.05))
    return String(cleaned.dropFirst(consumed))
  }

  /// Waits for the child to exit; its exit status (128 + signal if killed).
  func waitForExit(timeout: Double = 10) throws -> Int32 {
    let deadline = Date().addingTimeInterval(timeout)
    while true {
      if let exitStatus { return exitStatus }
      var status: Int32 = 0
      let r = waitpid(pid, &status, WNOHANG)
      if r == pid {
        let code = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        exitStatus = code
        return code
      }
      guard Date() < deadline else { throw Failure(description: "the REPL did not exit in time") }
      _ = pump(until: Date().addingTimeInterval(0.02))
    }
  }

  /// Kills the child if it still runs and closes the terminal.
  func terminate() {
    if exitStatus == nil {
      kill(pid, SIGKILL)
      var status: Int32 = 0
      waitpid(pid, &status, 0)
      exitStatus = 128 + SIGKILL
    }
    if master >= 0 { close(master) }
  }

  /// The output so far exactly as the child wrote it (through the terminal's `\n` → `\r\n`).
  var rawOutput: [UInt8] { raw }

  /// The output so far without escape sequences, carriage returns and bells.
  var cleaned: String { Self.clean(String(decoding: raw, as: UTF8.self)) }

  /// Removes ANSI CSI/OSC and two-character escapes, `\r` and BEL.
  static func clean(_ text: String) -> String {
    var out = ""
    var iterator = Array(text.unicodeScalars)[...]
    while let c = iterator.popFirst() {
      switch c {
      case "\u{1b}":
        guard let kind = iterator.popFirst() else { break }
        if kind == "[" {
          while let x = iterator.popFirst(), !(0x40...0x7e).contains(x.value) {}
        } else if kind == "]" {
          while let x = iterator.popFirst(), x != "\u{07}" {}
        }
      case "\r", "\u{07}": continue
      default: out.unicodeScalars.append(c)
      }
    }
    return out
  }

  /// Reads whatever the child writes for up to 50 ms; false once the child closed the pty.
  private func pump(until deadline: Date) -> Bool {
    let milliseconds = Int32(max(0, min(50, deadline.timeIntervalSinceNow * 1000)))
    var descriptor = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
    let ready = poll(&descriptor, 1, milliseconds)
    guard ready > 0 else { return ready == 0 || errno == EINTR }
    var buffer = [UInt8](repeating: 0, count: 4096)
    let n = read(master, &buffer, buffer.count)
    if n > 0 {
      raw += buffer[0..<n]
      return true
    }
    return n < 0 && (errno == EAGAIN || errno == EINTR)
  }

  private typealias CIntFunction = @convention(c) (Int32) -> Int32
  private typealias PtsName = @convention(c) (Int32, UnsafeMutablePointer<CChar>?, Int) -> Int32
  private typealias ChangeDirectory =
    @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>?, UnsafePointer<CChar>?) -> Int32
  private typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>?, Int32) -> Int32

  /// A libc function that Swift's Glibc module does not export (it needs `_GNU_SOURCE`).
  private static func libc<T>(_ name: String, as type: T.Type) -> T? {
    guard let symbol = dlsym(nil, name) else { return nil }
    return unsafeBitCast(symbol, to: type)
  }
}
