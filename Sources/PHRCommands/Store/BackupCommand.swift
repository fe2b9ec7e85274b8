import ArgumentParser
import Foundation
import PHRExchange
import PHRStore

/// `phr backup FILE` and `phr backup restore FILE`.
struct BackupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Copy the store to a backup file (optionally age-encrypted), or restore one.",
        discussion: """
            The copy is consistent even while other phr commands write (SQLite's VACUUM INTO), written \
            atomically and private (0600). With --to (an age recipient, from age-keygen) or --passphrase it is \
            encrypted in the standard age format, so `age --decrypt` opens it too.
            Examples:
              phr backup ~/backups/phr-2026-12-01.sqlite
              phr backup /media/usb/phr.age \\
                  --to age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p
              phr backup /media/usb/phr.age --passphrase
              phr backup restore /media/usb/phr.age --identity ~/.config/age/key.txt
            """,
        subcommands: [Create.self, Restore.self],
        defaultSubcommand: Create.self)

    /// The passphrase's scrypt work factor: age's own (2^18) unless a test lowers it.
    /// PHR_TEST_SCRYPT_LOG2N is for tests only: a low factor makes a passphrase easy to guess.
    static var scryptLog2N: Int {
        if let text = ProcessEnvironment.value("PHR_TEST_SCRYPT_LOG2N"), let value = Int(text), (1...22).contains(value) {
            return value
        }
        return AgeFile.defaultScryptLog2N
    }

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "create", abstract: "Write a backup of the store to FILE (the default: `phr backup FILE`).",
            discussion: """
                Example:
                  phr backup ~/backups/phr.sqlite
                  phr backup /media/usb/phr.age \\
                      --to age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p
                """)

        @OptionGroup var store: StoreOptions
        @Argument(help: ArgumentHelp("The backup file to write.", valueName: "FILE")) var file: String
        @Option(name: .customLong("to"), help: ArgumentHelp("Encrypt to this age recipient (age1…; repeat for several).", valueName: "recipient"))
        var recipients: [String] = []
        @Flag(help: "Encrypt with a passphrase (asked at the terminal, or --passphrase-file, or $PHR_BACKUP_PASSPHRASE).")
        var passphrase = false
        @Option(name: .customLong("passphrase-file"), help: ArgumentHelp("Read the passphrase from the first line of this file.", valueName: "path"))
        var passphraseFile: String?
        @Flag(help: "Replace an existing FILE.") var force = false

        func validate() throws {
            if passphraseFile != nil, !passphrase { throw ValidationError("--passphrase-file goes with --passphrase") }
            if passphrase, !recipients.isEmpty {
                throw ValidationError("give --to or --passphrase, not both (an age file with a passphrase has no other recipient)")
            }
            for recipient in recipients where AgeRecipient(recipient) == nil {
                throw ValidationError("--to: '\(recipient)' is not an age recipient (age1…, as age-keygen prints it)")
            }
        }

        func run() throws {
            let target = Self.absolute(file)
            let folder = (target as NSString).deletingLastPathComponent
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
                throw CommandFailure("FILE: the folder \(folder) does not exist", code: ExitStatus.cannotCreate)
            }
            if FileManager.default.fileExists(atPath: target, isDirectory: &isFolder) {
                if isFolder.boolValue { throw CommandFailure("FILE: \(target) is a folder; give a file path", code: ExitStatus.cannotCreate) }
                if !force { throw CommandFailure("FILE: \(target) exists; add --force to replace it", code: ExitStatus.cannotCreate) }
            }
            let key: AgeFile.Key? = passphrase
                ? .passphrase(try Passphrase.read(file: passphraseFile, confirm: true), log2N: BackupCommand.scryptLog2N)
                : recipients.isEmpty ? nil : .recipients(recipients.compactMap(AgeRecipient.init))
            let health = try store.open()
            if target == Self.absolute(health.path) { throw CommandFailure("FILE: that is the store itself", code: ExitStatus.usage) }
            // The plain copy is scratch: beside the store when it is to be encrypted (it never
            // lands on the backup's medium), beside FILE otherwise (renamed into place).
            let plainFolder = key == nil ? folder : (Self.absolute(health.path) as NSString).deletingLastPathComponent
            let plain = "\(plainFolder)/\(Scratch.ownedName(".phr-tmp-"))-backup"
            let registration = Scratch.register(plain)
            defer {
                unlink(plain)
                registration.release()
            }
            do {
                try health.backup(into: plain)
            } catch let error as SQLiteError where error.isDiskFull {
                throw CommandFailure("the disk is full: there is no room "
                    + (key == nil ? "for the backup at \(target)" : "beside the store (in \(plainFolder)) for the copy that is then encrypted")
                    + "; no backup was written, and the store is unchanged", code: ExitStatus.ioError)
            }
            if let key {
                let fd = open(plain, O_RDONLY | O_CLOEXEC)
                guard fd >= 0 else { throw CommandFailure("cannot read the copy: \(String(cString: strerror(errno)))", code: ExitStatus.ioError) }
                defer { close(fd) }
                let writer = try AtomicFileWriter(destination: target)
                try AgeFile.encrypt(to: key, read: { buffer in try Self.fill(buffer, fd) }, write: { try writer.write($0) })
                try writer.commit()
            } else {
                guard rename(plain, target) == 0 else {
                    throw CommandFailure("FILE: cannot write \(target): \(String(cString: strerror(errno)))", code: ExitStatus.cannotCreate)
                }
                let folderFD = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
                if folderFD >= 0 { fsync(folderFD); close(folderFD) }
            }
            let size = ((try? FileManager.default.attributesOfItem(atPath: target))?[.size] as? NSNumber)?.int64Value ?? 0
            let how = key == nil ? "not encrypted" : passphrase ? "age-encrypted with a passphrase"
                : "age-encrypted to \(recipients.count) recipient\(recipients.count == 1 ? "" : "s")"
            print("Backed up the store to \(target) (\(FileSize.text(size)), \(how)).")
        }

        static func absolute(_ path: String) -> String {
            path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        }

        static func fill(_ buffer: UnsafeMutableRawBufferPointer, _ fd: Int32) throws -> Int {
            var filled = 0
            while filled < buffer.count {
                let n = Foundation.read(fd, buffer.baseAddress! + filled, buffer.count - filled)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw CommandFailure("cannot read the copy: \(String(cString: strerror(errno)))", code: ExitStatus.ioError)
                }
                if n == 0 { break }
                filled += n
            }
            return filled
        }
    }

    struct Restore: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "restore",
            abstract: "Restore the store from a backup (plain or age-encrypted); never replaces a store without --force.",
            discussion: """
                The backup is decrypted (if it is an age file) beside the store, checked to be a sound phr store, \
                and only then renamed into place. Run no other phr on the store meanwhile.
                Example:
                  phr backup restore /media/usb/phr.age --identity ~/.config/age/key.txt \\
                      --db ~/health/phr.sqlite
                """)

        @OptionGroup var store: StoreOptions
        @Argument(help: ArgumentHelp("The backup file.", valueName: "FILE")) var file: String
        @Option(help: ArgumentHelp("An age identity file (as age-keygen writes it; repeat for several).", valueName: "path"))
        var identity: [String] = []
        @Option(name: .customLong("passphrase-file"), help: ArgumentHelp("Read the passphrase from the first line of this file.", valueName: "path"))
        var passphraseFile: String?
        @Flag(help: "Replace the existing store.") var force = false

        func run() throws {
            let source = Create.absolute(file)
            let destination = Create.absolute(store.path)
            guard let input = FileHandle(forReadingAtPath: source) else {
                throw CommandFailure("FILE: cannot read \(source)", code: ExitStatus.noInput)
            }
            let head = Array((try? input.read(upToCount: 64)) ?? Data())
            try? input.close()
            if FileManager.default.fileExists(atPath: destination), !force {
                throw CommandFailure("a store exists at \(destination); add --force to replace it with the backup", code: ExitStatus.cannotCreate)
            }
            let folder = (destination as NSString).deletingLastPathComponent
            if !FileManager.default.fileExists(atPath: folder) {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            }
            let scratch = "\(folder)/\(Scratch.ownedName(".phr-tmp-"))-restore"
            let registration = Scratch.register(scratch)
            defer {
                unlink(scratch)
                registration.release()
            }
            let out = open(scratch, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
            guard out >= 0 else { throw CommandFailure("cannot write beside the store: \(String(cString: strerror(errno)))", code: ExitStatus.cannotCreate) }
            defer { close(out) }
            let inFD = open(source, O_RDONLY | O_CLOEXEC)
            guard inFD >= 0 else { throw CommandFailure("FILE: cannot read \(source)", code: ExitStatus.noInput) }
            defer { close(inFD) }
            let write: (UnsafeRawBufferPointer) throws -> Void = { bytes in
                var offset = 0
                while offset < bytes.count {
                    let n = Foundation.write(out, bytes.baseAddress! + offset, bytes.count - offset)
                    if n < 0 {
                        if errno == EINTR { continue }
                        throw CommandFailure("cannot write beside the store: \(String(cString: strerror(errno)))", code: ExitStatus.ioError)
                    }
                    offset += n
                }
            }
            if AgeFile.isAgeFile(head: head) {
                let secret: AgeFile.Secret
                if !identity.isEmpty {
                    var identities: [AgeIdentity] = []
                    for path in identity {
                        guard let text = try? String(contentsOfFile: path, encoding: .utf8), let found = AgeIdentity.parseFile(text) else {
                            throw CommandFailure("--identity: \(path) is not an age identity file", code: ExitStatus.dataError)
                        }
                        identities += found
                    }
                    secret = .identities(identities)
                } else {
                    secret = .passphrase(try Passphrase.read(file: passphraseFile, confirm: false))
                }
                do {
                    try AgeFile.decrypt(fd: inFD, with: secret, write: write)
                } catch let error as AgeError {
                    throw CommandFailure("FILE: cannot decrypt \(source): \(error)", code: ExitStatus.dataError)
                }
            } else {
                let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
                defer { buffer.deallocate() }
                while case let n = try Create.fill(buffer, inFD), n > 0 { try write(UnsafeRawBufferPointer(rebasing: buffer[0..<n])) }
            }
            guard fsync(out) == 0 else { throw CommandFailure("cannot write beside the store: \(String(cString: strerror(errno)))", code: ExitStatus.ioError) }
            let schema: String
            do {
                schema = try HealthStore.verifyStoreFile(scratch)
            } catch StoreError.notAStore(_, let reason) {
                throw CommandFailure("FILE: \(source) is not a phr backup: it is \(reason)", code: ExitStatus.dataError)
            }
            // The replaced store's WAL must not be applied to the restored file.
            unlink(destination + "-wal")
            unlink(destination + "-shm")
            guard rename(scratch, destination) == 0 else {
                throw CommandFailure("cannot put the store in place: \(String(cString: strerror(errno)))", code: ExitStatus.cannotCreate)
            }
            let folderFD = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            if folderFD >= 0 { fsync(folderFD); close(folderFD) }
            _ = try HealthStore(path: destination, create: false)
            print("Restored the store at \(destination) from \(source) (schema \(schema)).")
        }
    }
}
