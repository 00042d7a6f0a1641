"""Loading report files: formats, encodings, date headers, language.

Every problem with a file becomes a `ReportError` that names the file, so a
batch can report it in one line and go on with the other files.
"""
from __future__ import annotations

import csv
import hashlib
import html
import io
import json
import re
from collections.abc import Iterable, Iterator
from html.parser import HTMLParser
from pathlib import Path

from .models import Report

MAX_BYTES = 20 * 1024 * 1024
TEXT_SUFFIXES = {".txt", ".text", ".md", ".markdown", ".html", ".htm", ".json", ".jsonl", ".ndjson", ".csv", ".tsv"}
TEXT_FIELDS = ("text", "body", "content", "article", "notes", "description")
DATE_FIELDS = ("date", "report_date", "published", "event_date", "datetime", "timestamp")


class ReportError(Exception):
    """A file that could not be read as a report; the message names the file."""

    def __init__(self, path: str, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


# --- encodings --------------------------------------------------------------

def decode_bytes(data: bytes, path: str) -> tuple[str, str]:
    """Return (text, encoding); refuse binary data rather than guess garbage."""
    if not data.strip():
        raise ReportError(path, "empty file")
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _decode_utf16(data, path, "utf-16")
    codec = _sniff_utf16(data)
    if codec:
        return _decode_utf16(data, path, codec)
    if b"\x00" in data or _control_share(data) > 0.05:
        raise ReportError(path, "binary data, not a text report")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    text = data.decode("cp1251", errors="strict") if _looks_cp1251(data) else None
    if text is not None:
        return text, "cp1251"
    from charset_normalizer import from_bytes  # slower; only for the rare leftovers

    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        raise ReportError(path, "unknown text encoding (tried UTF-8, UTF-16, cp1251)")
    return str(best), best.encoding


def _decode_utf16(data: bytes, path: str, codec: str) -> tuple[str, str]:
    try:
        return data.decode(codec).lstrip("\ufeff"), "utf-16"
    except UnicodeDecodeError as exc:
        raise ReportError(path, f"broken UTF-16 text ({exc.reason})") from exc


def _sniff_utf16(data: bytes) -> str | None:
    """UTF-16 without a byte-order mark: the high byte of almost every code unit is 0 (Latin) or one script's block
    (0x04 for Cyrillic), with zeros for spaces and punctuation; random binary spreads its bytes evenly."""
    if len(data) % 2 or b"\x00" not in data:
        return None
    for codec, high, low in (("utf-16-le", data[1::2], data[0::2]), ("utf-16-be", data[0::2], data[1::2])):
        units = len(high)
        zeros = high.count(0)
        if zeros < 0.05 * units or low.count(0) > 0.05 * units:
            continue
        script = max((high.count(b) for b in set(high) - {0}), default=0)
        if zeros + script >= 0.95 * units:
            return codec
    return None


def _control_share(data: bytes) -> float:
    sample = data[:65536]
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    return controls / max(1, len(sample))


def _looks_cp1251(data: bytes) -> bool:
    """cp1251 Cyrillic letters live in 0xC0-0xFF; mostly those means Cyrillic text."""
    try:
        data.decode("cp1251")
    except UnicodeDecodeError:
        return False
    high = [b for b in data if b >= 0x80]
    return bool(high) and sum(1 for b in high if b >= 0xC0 or b in (0xA8, 0xB8, 0xB2, 0xB3, 0xAA, 0xBA, 0xAF, 0xBF)) > 0.8 * len(high)


# --- dates ------------------------------------------------------------------

# The date may carry a time ("2022-09-10T08:00Z", "2022-09-10 08:00 UTC") and a separator before the text ("— Les ...").
_DATE_HEADER = re.compile(r"^\s*(?:date|dated|date de publication|дата)\s*[:=]?\s*(\d{4}-\d{2}(?:-\d{2})?)(?![\d-])"
                          r"(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:\s*(?:Z|UTC|GMT|[+-]\d{2}:?\d{2}))?(?!\w))?"
                          r"(?:[ \t]*[,;|—–-](?=[ \t]))?[ \t]*",
                          re.IGNORECASE)
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})(?:-(\d{2}))?")


def normalise_date(value: object) -> str | None:
    """'2022-09-10T08:00Z' -> '2022-09-10'; '2022-09' stays a month; nonsense -> None."""
    if value is None:
        return None
    match = _ISO_DATE.search(str(value))
    if not match:
        return None
    year, month, day = match.groups()
    if not (1 <= int(month) <= 12) or (day and not 1 <= int(day) <= 31):
        return None
    return f"{year}-{month}-{day}" if day else f"{year}-{month}"


def split_date_header(text: str) -> tuple[str | None, str]:
    """Take a leading `date YYYY-MM[-DD]` off the text, on its own line or glued to the first sentence."""
    match = _DATE_HEADER.match(text)
    if not match:
        return None, text
    rest = text[match.end():]
    return normalise_date(match.group(1)), rest.lstrip("\r\n") if not rest[:1].strip() else rest


# --- language ---------------------------------------------------------------

_STOPWORDS = {
    "en": {"the", "and", "of", "to", "in", "was", "were", "has", "have", "that", "with", "from", "forces", "said"},
    "fr": {"le", "la", "les", "des", "et", "du", "une", "est", "dans", "que", "qui", "ont", "sur", "pour", "a"},
    "de": {"der", "die", "das", "und", "den", "dem", "nicht", "ist", "wurde", "mit", "von", "sich", "auf", "ein"},
    "es": {"el", "los", "las", "del", "y", "que", "en", "por", "con", "una", "fue", "para", "han", "se"},
}
_WORD = re.compile(r"[^\W\d_]+")


def detect_language(text: str) -> str:
    """Script first, then tell-tale letters (uk/ru) or stopwords (en/fr/de/es)."""
    sample = text[:5000]
    cyrillic = sum(1 for ch in sample if "\u0400" <= ch <= "\u04ff")
    latin = sum(1 for ch in sample if ch.isascii() and ch.isalpha())
    if cyrillic > latin:
        lower = sample.lower()
        uk = sum(lower.count(ch) for ch in "іїєґ") + lower.count("'") // 4
        ru = sum(lower.count(ch) for ch in "ыэъё")
        return "uk" if uk > ru else "ru"
    words = [w.lower() for w in _WORD.findall(sample)]
    if not words:
        return "und"
    scores = {lang: sum(1 for w in words if w in stop) for lang, stop in _STOPWORDS.items()}
    best = max(scores, key=scores.get)
    return best if scores[best] >= 2 else "und"


# --- markup -----------------------------------------------------------------

class _HTMLText(HTMLParser):
    """Visible text of a page; prefers <article>/<main>, skips navigation and scripts."""

    SKIP = {"script", "style", "nav", "footer", "header", "aside", "noscript", "template", "svg", "form", "button"}
    BLOCK = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section", "article", "blockquote",
             "main", "table", "ul", "ol", "dd", "dt", "figcaption"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.article_parts: list[str] = []
        self.skip_depth = 0
        self.article_depth = 0
        self.in_title = False
        self.title = ""
        self.meta: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIP:
            self.skip_depth += 1
        elif tag in ("article", "main"):
            self.article_depth += 1
        elif tag == "title":
            self.in_title = True
        elif tag == "meta":
            named = dict(attrs)
            key = (named.get("name") or named.get("property") or "").lower()
            if key and named.get("content"):
                self.meta[key] = named["content"] or ""
        elif tag == "time" and "time" not in self.meta:
            value = dict(attrs).get("datetime")
            if value:
                self.meta["time"] = value
        if tag in self.BLOCK:
            self._emit("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP and self.skip_depth:
            self.skip_depth -= 1
        elif tag in ("article", "main") and self.article_depth:
            self.article_depth -= 1
        elif tag == "title":
            self.in_title = False
        if tag in self.BLOCK:
            self._emit("\n")

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title += data
        elif not self.skip_depth:
            self._emit(data)

    def _emit(self, data: str) -> None:
        self.parts.append(data)
        if self.article_depth:
            self.article_parts.append(data)


def html_to_text(markup: str) -> tuple[str, str, dict[str, str]]:
    """(text, title, meta) of an HTML page."""
    parser = _HTMLText()
    parser.feed(markup)
    parser.close()
    body = "".join(parser.article_parts) or "".join(parser.parts)
    return _tidy_lines(body), parser.title.strip(), parser.meta


def markdown_to_text(markup: str) -> tuple[str, dict[str, str]]:
    """Plain text of Markdown plus its front-matter fields."""
    meta: dict[str, str] = {}
    front = re.match(r"^---\s*\n(.*?)\n---\s*\n", markup, re.DOTALL)
    if front:
        for line in front.group(1).splitlines():
            key, _, value = line.partition(":")
            if value:
                meta[key.strip().lower()] = value.strip().strip("\"'")
        markup = markup[front.end():]
    lines = []
    for line in markup.splitlines():
        key, sep, value = line.partition(":")
        if sep and key.strip().lower() in ("date", "source", "title", "language") and len(key) < 12 and not meta.get(key.strip().lower()):
            meta[key.strip().lower()] = value.strip()
            continue
        line = re.sub(r"^\s{0,3}(#{1,6}|>|[-*+]|\d+\.)\s+", "", line)
        line = re.sub(r"!\[[^\]]*\]\([^)]*\)", "", line)
        line = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", line)
        line = re.sub(r"(\*\*|__|\*|_|`)(\S.*?\S|\S)\1", r"\2", line)
        lines.append(line)
    return _tidy_lines("\n".join(lines)), meta


def _tidy_lines(text: str) -> str:
    lines = [re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


# --- building reports -------------------------------------------------------

def report_id_for(text: str) -> str:
    return "r" + hashlib.sha256(text.strip().encode("utf-8")).hexdigest()[:16]


def make_report(text: str, path: str, *, date: object = None, source: str = "", title: str = "",
                language: str | None = None, encoding: str = "utf-8") -> Report:
    """A Report from already extracted text; a leading date header wins over `date`."""
    header_date, body = split_date_header(text.lstrip("\ufeff"))
    body = body.strip()
    if not body:
        raise ReportError(path, "no report text")
    source_line = re.match(r"^\s*(?:source|джерело|источник)\s*:\s*(.+)\n", body, re.IGNORECASE)
    if source_line:
        source = source or source_line.group(1).strip()
    return Report(
        report_id=report_id_for(body),
        path=path,
        text=body,
        date=header_date or normalise_date(date),
        language=(language or "").lower()[:2] or detect_language(body),
        source=source or Path(path.split("#")[0]).stem,
        title=title,
        encoding=encoding,
    )


def parse_report_bytes(data: bytes, path: str) -> list[Report]:
    """All reports in one file's bytes; the suffix of `path` says the format."""
    if len(data) > MAX_BYTES:
        raise ReportError(path, f"file too large ({len(data) / 1e6:.1f} MB; the limit is {MAX_BYTES // 2**20} MB)")
    text, encoding = decode_bytes(data, path)
    suffix = Path(path).suffix.lower()
    if suffix in (".html", ".htm") or (suffix not in (".json", ".jsonl", ".csv") and re.match(r"\s*<(!doctype|html)", text, re.I)):
        body, title, meta = html_to_text(text)
        date = meta.get("date") or meta.get("article:published_time") or meta.get("time")
        return [make_report(body, path, date=date, title=title, source=meta.get("author", ""), encoding=encoding)]
    if suffix in (".md", ".markdown"):
        body, meta = markdown_to_text(text)
        return [make_report(body, path, date=meta.get("date"), source=meta.get("source", ""),
                            title=meta.get("title", ""), language=meta.get("language"), encoding=encoding)]
    if suffix in (".json", ".jsonl", ".ndjson"):
        return _records_to_reports(_json_records(text, path, suffix), path, encoding)
    if suffix in (".csv", ".tsv"):
        return _records_to_reports(_csv_records(text, path, suffix), path, encoding)
    return [make_report(text, path, encoding=encoding)]


def _json_records(text: str, path: str, suffix: str) -> list[dict]:
    try:
        if suffix == ".json":
            data = json.loads(text)
        else:
            data = [json.loads(line) for line in text.splitlines() if line.strip()]
    except json.JSONDecodeError as exc:
        raise ReportError(path, f"malformed JSON (line {exc.lineno}: {exc.msg})") from exc
    if isinstance(data, dict):
        data = data.get("reports") or data.get("items") or data.get("data") or [data]
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        raise ReportError(path, "JSON must hold an object or a list of objects with a text field")
    return data


def _csv_records(text: str, path: str, suffix: str) -> list[dict]:
    try:
        reader = csv.DictReader(io.StringIO(text), delimiter="\t" if suffix == ".tsv" else ",")
        rows = list(reader)
    except csv.Error as exc:
        raise ReportError(path, f"malformed CSV ({exc})") from exc
    if not reader.fieldnames:
        raise ReportError(path, "CSV has no header row")
    return [{(k or "").strip().lower(): v for k, v in row.items()} for row in rows]


def _records_to_reports(records: list[dict], path: str, encoding: str) -> list[Report]:
    reports = []
    for index, record in enumerate(records):
        lowered = {str(k).lower(): v for k, v in record.items()}
        text = next((lowered[f] for f in TEXT_FIELDS if isinstance(lowered.get(f), str) and lowered[f].strip()), None)
        if text is None:
            raise ReportError(f"{path}#{index}", f"no text field (expected one of: {', '.join(TEXT_FIELDS)})")
        if re.search(r"<(p|div|br|article|span)\b", text, re.I):
            text, _, _ = html_to_text(text)
        date = next((lowered[f] for f in DATE_FIELDS if lowered.get(f)), None)
        reports.append(make_report(
            html.unescape(text) if "&" in text and ";" in text else text, f"{path}#{index}", date=date,
            source=str(lowered.get("source") or lowered.get("outlet") or ""),
            title=str(lowered.get("title") or lowered.get("headline") or ""),
            language=str(lowered.get("language") or lowered.get("lang") or "") or None, encoding=encoding))
    if not reports:
        raise ReportError(path, "no reports in file")
    return reports


def read_report_file(path: str | Path) -> list[Report]:
    """Reports in one file on disk."""
    name = str(path)
    file = Path(path)
    try:
        size = file.stat().st_size
        if size > MAX_BYTES:
            raise ReportError(name, f"file too large ({size / 1e6:.1f} MB; the limit is {MAX_BYTES // 2**20} MB)")
        data = file.read_bytes()
    except OSError as exc:
        raise ReportError(name, exc.strerror or str(exc)) from exc
    return parse_report_bytes(data, name)


def expand_paths(paths: Iterable[str | Path]) -> list[str]:
    """Files as given, folders walked for report files in a stable order."""
    files: list[str] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            files.extend(str(p) for p in sorted(path.rglob("*")) if p.is_file() and p.suffix.lower() in TEXT_SUFFIXES)
        else:
            files.append(str(given))
    return files


def load_reports(paths: Iterable[str | Path]) -> Iterator[Report | ReportError]:
    """Every report in the given files and folders; a bad file yields its error and the rest go on."""
    for name in expand_paths(paths):
        try:
            yield from read_report_file(name)
        except ReportError as error:
            yield error
