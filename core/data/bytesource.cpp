#include "data/bytesource.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <stdexcept>

#include <zlib.h>

namespace tunebench::data::detail {

namespace {

constexpr unsigned char kGzipMagic0 = 0x1f;
constexpr unsigned char kGzipMagic1 = 0x8b;

bool looksGzipped(std::string_view head)
{
    return head.size() >= 2 && static_cast<unsigned char>(head[0]) == kGzipMagic0
        && static_cast<unsigned char>(head[1]) == kGzipMagic1;
}

class FileSource final : public ByteSource
{
public:
    explicit FileSource(const std::string& path)
        : m_file(std::fopen(path.c_str(), "rb"))
    {
        if (!m_file)
            throw std::runtime_error(path + ": cannot open: " + std::strerror(errno));
        if (std::fseek(m_file, 0, SEEK_END) == 0) {
            const long size = std::ftell(m_file);
            m_size = size > 0 ? static_cast<std::uint64_t>(size) : 0;
            std::fseek(m_file, 0, SEEK_SET);
        }
        m_path = path;
    }
    ~FileSource() override { std::fclose(m_file); }
    FileSource(const FileSource&) = delete;
    FileSource& operator=(const FileSource&) = delete;

    std::size_t read(char* destination, std::size_t size) override
    {
        const std::size_t n = std::fread(destination, 1, size, m_file);
        if (n < size && std::ferror(m_file))
            throw std::runtime_error(m_path + ": read error: " + std::strerror(errno));
        m_position += n;
        return n;
    }
    double progress() const override
    {
        return m_size == 0 ? 0.0 : static_cast<double>(m_position) / static_cast<double>(m_size);
    }
    std::uint64_t sizeHint() const override { return m_size; }

    /// The gzip trailer's ISIZE: the uncompressed size modulo 2^32.
    std::uint64_t gzipUncompressedSize()
    {
        if (m_size < 18 || m_size >= (std::uint64_t{1} << 32))
            return 0;
        unsigned char trailer[4];
        const long here = std::ftell(m_file);
        std::fseek(m_file, -4, SEEK_END);
        const bool ok = std::fread(trailer, 1, 4, m_file) == 4;
        std::fseek(m_file, here, SEEK_SET);
        if (!ok)
            return 0;
        return std::uint64_t{trailer[0]} | (std::uint64_t{trailer[1]} << 8) | (std::uint64_t{trailer[2]} << 16)
            | (std::uint64_t{trailer[3]} << 24);
    }

private:
    std::FILE* m_file;
    std::string m_path;
    std::uint64_t m_size = 0;
    std::uint64_t m_position = 0;
};

class MemorySource final : public ByteSource
{
public:
    explicit MemorySource(std::string_view bytes)
        : m_bytes(bytes)
    { }

    std::size_t read(char* destination, std::size_t size) override
    {
        const std::size_t n = std::min(size, m_bytes.size() - m_position);
        std::memcpy(destination, m_bytes.data() + m_position, n);
        m_position += n;
        return n;
    }
    double progress() const override
    {
        return m_bytes.empty() ? 1.0 : static_cast<double>(m_position) / static_cast<double>(m_bytes.size());
    }
    std::uint64_t sizeHint() const override { return m_bytes.size(); }

private:
    std::string_view m_bytes;
    std::size_t m_position = 0;
};

/// Inflates gzip (and concatenated gzip members) from another source.
class GzipSource final : public ByteSource
{
public:
    GzipSource(std::unique_ptr<ByteSource> inner, std::uint64_t uncompressedHint)
        : m_inner(std::move(inner))
        , m_input(1 << 18)
        , m_hint(uncompressedHint)
    {
        // 15 + 16: a gzip wrapper only, so that plain deflate or zlib data is an error, not a guess.
        if (inflateInit2(&m_stream, 15 + 16) != Z_OK)
            throw std::runtime_error("cannot initialise zlib");
    }
    ~GzipSource() override { inflateEnd(&m_stream); }
    GzipSource(const GzipSource&) = delete;
    GzipSource& operator=(const GzipSource&) = delete;

    std::size_t read(char* destination, std::size_t size) override
    {
        m_stream.next_out = reinterpret_cast<Bytef*>(destination);
        m_stream.avail_out = static_cast<uInt>(size);
        while (m_stream.avail_out > 0 && !m_finished) {
            if (m_stream.avail_in == 0) {
                const std::size_t n = m_inner->read(m_input.data(), m_input.size());
                if (n == 0) {
                    if (!m_betweenMembers)
                        throw std::runtime_error("gzip data ends unexpectedly (truncated file)");
                    m_finished = true;
                    break;
                }
                m_stream.next_in = reinterpret_cast<Bytef*>(m_input.data());
                m_stream.avail_in = static_cast<uInt>(n);
            }
            m_betweenMembers = false;
            const int status = inflate(&m_stream, Z_NO_FLUSH);
            if (status == Z_STREAM_END) {
                // Another member may follow (as `cat a.gz b.gz` makes); trailing zero padding ends the data.
                m_betweenMembers = true;
                if (m_stream.avail_in > 0 && m_stream.next_in[0] != kGzipMagic0) {
                    m_finished = true;
                    break;
                }
                inflateReset(&m_stream);
            } else if (status != Z_OK && status != Z_BUF_ERROR) {
                throw std::runtime_error(std::string("corrupt gzip data: ")
                                         + (m_stream.msg ? m_stream.msg : "inflate failed"));
            }
        }
        return size - m_stream.avail_out;
    }
    double progress() const override { return m_inner->progress(); }
    std::uint64_t sizeHint() const override { return m_hint; }

private:
    std::unique_ptr<ByteSource> m_inner;
    std::vector<char> m_input;
    z_stream m_stream{};
    std::uint64_t m_hint;
    bool m_finished = false;
    bool m_betweenMembers = false;
};

} // namespace

std::unique_ptr<ByteSource> openFile(const std::string& path)
{
    auto file = std::make_unique<FileSource>(path);
    char head[2] = {};
    const std::size_t n = file->read(head, 2);
    if (looksGzipped(std::string_view(head, n))) {
        const std::uint64_t hint = file->gzipUncompressedSize();
        file = std::make_unique<FileSource>(path); // start again at byte 0
        return std::make_unique<GzipSource>(std::move(file), hint);
    }
    file = std::make_unique<FileSource>(path);
    return file;
}

std::unique_ptr<ByteSource> openMemory(std::string_view bytes)
{
    if (looksGzipped(bytes))
        return std::make_unique<GzipSource>(std::make_unique<MemorySource>(bytes), 0);
    return std::make_unique<MemorySource>(bytes);
}

ChunkedInput::ChunkedInput(ByteSource& source, std::size_t chunkSize)
    : m_source(source)
{
    // A small input needs no large window (this keeps reading many small files, and fuzzing, cheap).
    constexpr std::size_t kMinimum = 4096;
    if (const std::uint64_t hint = source.sizeHint(); hint > 0 && hint + 1 < chunkSize)
        chunkSize = std::max<std::size_t>(kMinimum, static_cast<std::size_t>(hint) + 1);
    m_chunkSize = chunkSize;
    m_buffer.resize(chunkSize);
}

bool ChunkedInput::refill()
{
    if (m_eof)
        return false;
    // Keep the unconsumed tail; grow only when it fills most of the window (one very long record).
    const std::size_t tail = m_end - m_start;
    if (m_start > 0) {
        std::memmove(m_buffer.data(), m_buffer.data() + m_start, tail);
        m_consumedBefore += m_start;
        m_start = 0;
        m_end = tail;
    }
    if (m_buffer.size() - m_end < m_chunkSize / 2)
        m_buffer.resize(m_buffer.size() * 2);
    std::size_t got = 0;
    while (m_end < m_buffer.size()) {
        const std::size_t n = m_source.read(m_buffer.data() + m_end, m_buffer.size() - m_end);
        if (n == 0) {
            m_eof = true;
            break;
        }
        m_end += n;
        got += n;
    }
    return got > 0;
}

bool LineReader::next(std::string_view& line)
{
    for (;;) {
        const char* begin = m_input.begin();
        const char* end = m_input.end();
        const char* p = begin;
        while (p < end && *p != '\n' && *p != '\r')
            ++p;
        if (p < end) {
            const char* after = p + 1;
            if (*p == '\r') {
                if (after == end && !m_input.atEof()) {
                    m_input.refill(); // is a '\n' next?
                    continue;
                }
                if (after < end && *after == '\n')
                    ++after;
            }
            line = std::string_view(begin, static_cast<std::size_t>(p - begin));
            m_input.consume(after);
            ++m_line;
            return true;
        }
        if (!m_input.atEof()) {
            m_input.refill();
            continue;
        }
        if (begin == end)
            return false;
        line = std::string_view(begin, static_cast<std::size_t>(end - begin));
        m_input.consume(end);
        ++m_line;
        return true;
    }
}

bool isValidUtf8(std::string_view text, std::size_t* badOffset)
{
    const auto* s = reinterpret_cast<const unsigned char*>(text.data());
    const std::size_t n = text.size();
    std::size_t i = 0;
    while (i < n) {
        const unsigned char c = s[i];
        if (c < 0x80) {
            ++i;
            continue;
        }
        std::size_t length = 0;
        std::uint32_t codePoint = 0;
        if ((c & 0xE0) == 0xC0) {
            length = 2;
            codePoint = c & 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            length = 3;
            codePoint = c & 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            length = 4;
            codePoint = c & 0x07;
        } else {
            if (badOffset)
                *badOffset = i;
            return false;
        }
        bool ok = i + length <= n;
        for (std::size_t k = 1; ok && k < length; ++k) {
            ok = (s[i + k] & 0xC0) == 0x80;
            codePoint = (codePoint << 6) | (s[i + k] & 0x3F);
        }
        // Reject overlong forms, surrogates and values past U+10FFFF.
        ok = ok && !(length == 2 && codePoint < 0x80) && !(length == 3 && codePoint < 0x800)
            && !(length == 4 && codePoint < 0x10000) && codePoint <= 0x10FFFF
            && !(codePoint >= 0xD800 && codePoint <= 0xDFFF);
        if (!ok) {
            if (badOffset)
                *badOffset = i;
            return false;
        }
        i += length;
    }
    return true;
}

} // namespace tunebench::data::detail
