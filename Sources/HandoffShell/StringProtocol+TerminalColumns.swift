extension StringProtocol {
    /// How many columns a terminal gives this text: two for East Asian wide and fullwidth
    /// characters and for emoji, none for combining marks and controls, one for the rest.
    /// Alignment counts these, not characters, so CJK and emoji rows line up on screen.
    var terminalColumns: Int {
        // Most cells are ASCII: one column a byte, without walking grapheme clusters.
        if utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return utf8.count }
        return reduce(0) { $0 + $1.terminalColumns }
    }
}

extension Character {
    /// Terminals draw a grapheme cluster as one glyph: as wide as its widest scalar, and an emoji
    /// that asks for emoji presentation (U+FE0F) is drawn two wide even when its base alone is not.
    var terminalColumns: Int {
        let scalars = unicodeScalars
        guard let first = scalars.first else { return 0 }
        if scalars.count > 1, first.properties.isEmoji, scalars.contains("\u{FE0F}") { return 2 }
        return scalars.reduce(0) { max($0, $1.terminalColumns) }
    }
}

extension Unicode.Scalar {
    /// Columns of one scalar on its own, as wcwidth(3) counts them.
    var terminalColumns: Int {
        let value = value
        if value < 0x7F { return value >= 0x20 ? 1 : 0 }
        switch properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format, .control: return 0
        default: break
        }
        // Hangul medial vowels and final consonants join the syllable the leading consonant starts.
        if (0x1160...0x11FF).contains(value) { return 0 }
        if properties.isEmojiPresentation { return 2 }
        return Self.wide.contains { $0.contains(value) } ? 2 : 1
    }

    /// East Asian Wide (W) and Fullwidth (F) blocks of UAX #11 that are not emoji.
    private static let wide: [ClosedRange<UInt32>] = [
        0x1100...0x115F,   // Hangul Jamo leading consonants
        0x2E80...0x303E,   // CJK radicals, Kangxi radicals, ideographic description, CJK symbols and punctuation
        0x3041...0x33FF,   // Hiragana, Katakana, Bopomofo, Hangul compatibility Jamo, Kanbun, CJK strokes, enclosed and compatibility
        0x3400...0x4DBF,   // CJK Unified Ideographs Extension A
        0x4E00...0x9FFF,   // CJK Unified Ideographs
        0xA000...0xA4CF,   // Yi syllables and radicals
        0xA960...0xA97F,   // Hangul Jamo Extended-A
        0xAC00...0xD7A3,   // Hangul syllables
        0xF900...0xFAFF,   // CJK Compatibility Ideographs
        0xFE10...0xFE19,   // vertical forms
        0xFE30...0xFE6F,   // CJK compatibility forms, small form variants
        0xFF00...0xFF60,   // fullwidth ASCII forms
        0xFFE0...0xFFE6,   // fullwidth signs
        0x16FE0...0x16FE4, // ideographic symbols
        0x17000...0x18CFF, // Tangut, Khitan
        0x1B000...0x1B2FF, // Kana supplement and extensions, Nushu
        0x1F200...0x1F2FF, // enclosed ideographic supplement
        0x20000...0x2FFFD, // CJK Unified Ideographs Extensions B to F, compatibility supplement
        0x30000...0x3FFFD, // CJK Unified Ideographs Extensions G and H
    ]
}
