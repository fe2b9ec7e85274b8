/// The guide for patients, `docs/GUIDE.md`, compiled into the binary (`phr guide` prints it): the
/// file is the one source of the text.
public enum GuideText {
    public static var markdown: String { String(decoding: PackageResources.GUIDE_md, as: UTF8.self) }
}
