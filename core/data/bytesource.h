#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace tunebench::data::detail {

/// A forward-only stream of bytes (a file, gzip-compressed or not, or memory).
class ByteSource
{
public:
    virtual ~ByteSource() = default;
    /// Reads up to `size` bytes; returns 0 only at the end. Throws std::runtime_error on I/O errors.
    virtual std::size_t read(char* destination, std::size_t size) = 0;
    /// Fraction of the underlying input consumed so far, in [0, 1].
    [[nodiscard]] virtual double progress() const = 0;
    /// Expected number of bytes read() yields in all, or 0 when unknown.
    [[nodiscard]] virtual std::uint64_t sizeHint() const = 0;
};

/// Opens a file; gzip data (by its magic bytes, whatever the name) is decompressed on the fly.
/// Throws std::runtime_error naming the file when it cannot be opened.
std::unique_ptr<ByteSource> openFile(const std::string& path);
/// Bytes in memory (not copied: they must outlive the source); gzip data is decompressed on the fly.
std::unique_ptr<ByteSource> openMemory(std::string_view bytes);

/// A sliding window over a ByteSource: parsers consume from the front, refill() keeps the unconsumed
/// tail and appends more input, growing only when one record is larger than the window.
class ChunkedInput
{
public:
    explicit ChunkedInput(ByteSource& source, std::size_t chunkSize = std::size_t{1} << 20);

    [[nodiscard]] const char* begin() const noexcept { return m_buffer.data() + m_start; }
    [[nodiscard]] const char* end() const noexcept { return m_buffer.data() + m_end; }
    [[nodiscard]] bool atEof() const noexcept { return m_eof; }
    void consume(const char* upTo) noexcept { m_start = static_cast<std::size_t>(upTo - m_buffer.data()); }
    /// Reads more input. Returns false when nothing more came (end of input).
    bool refill();
    [[nodiscard]] std::size_t bytesConsumedTotal() const noexcept { return m_consumedBefore + m_start; }

private:
    ByteSource& m_source;
    std::vector<char> m_buffer;
    std::size_t m_chunkSize;
    std::size_t m_start = 0;
    std::size_t m_end = 0;
    std::size_t m_consumedBefore = 0;
    bool m_eof = false;
};

/// Splits ChunkedInput into lines ("\n", "\r\n" or "\r" terminated; the terminator is not included).
class LineReader
{
public:
    explicit LineReader(ChunkedInput& input)
        : m_input(input)
    { }
    /// The next line, valid until the following call. False at the end of input.
    bool next(std::string_view& line);
    [[nodiscard]] std::size_t lineNumber() const noexcept { return m_line; } ///< of the line last returned

private:
    ChunkedInput& m_input;
    std::size_t m_line = 0;
};

/// True when `text` is valid UTF-8; otherwise `badOffset` is the offset of the first bad byte.
bool isValidUtf8(std::string_view text, std::size_t* badOffset = nullptr);

} // namespace tunebench::data::detail
