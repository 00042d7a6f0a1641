"""Loading report files: formats, encodings, date headers, language, ids, and one clear error per bad file."""
from __future__ import annotations

import json
import random

import pytest

from geo.reports import (MAX_BYTES, ReportError, detect_language, load_reports, make_report, parse_report_bytes,
                         read_report_file, report_id_for)

UK = ("Збройні сили України звільнили Кліщіївку та Андріївку під Бахмутом. "
      "Бої тривають у районі Курдюмівки, повідомив Генштаб ЗСУ.")
RU = ("Российские войска заняли Соледар, сообщило минобороны России. "
      "Бои продолжаются в районе Бахмута, где ситуация остаётся тяжёлой.")
EN = "Ukrainian forces retook Kupiansk on Saturday, and Russian troops withdrew from the town of Izium."
FR = "Les forces ukrainiennes ont repris la ville d'Izium et les troupes russes se sont retirées vers l'est."
DE = "Die ukrainischen Truppen haben die Stadt Isjum zurückerobert, und die russischen Einheiten sind nicht mehr da."
ES = "Las tropas ucranianas han recuperado la ciudad de Izium y los rusos se retiraron por el río con sus tanques."


def write(tmp_path, name: str, data: bytes | str):
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def one(tmp_path, name: str, data: bytes | str):
    reports = read_report_file(write(tmp_path, name, data))
    assert len(reports) == 1
    return reports[0]


def error_of(tmp_path, name: str, data: bytes | str) -> ReportError:
    path = write(tmp_path, name, data)
    with pytest.raises(ReportError) as caught:
        read_report_file(path)
    message = str(caught.value)
    assert str(path) in message, "the message names the file"
    assert "\n" not in message, "one line per bad file"
    return caught.value


# --- plain text and date headers ---------------------------------------------------------------

def test_date_header_on_its_own_line(tmp_path):
    report = one(tmp_path, "a.txt", "date 2022-09-10\nLes forces ukrainiennes ont repris Izium.\n")
    assert report.date == "2022-09-10"
    assert report.text == "Les forces ukrainiennes ont repris Izium."
    assert report.language == "fr"
    assert report.path == str(tmp_path / "a.txt")
    assert report.source == "a"  # the file's stem when nothing better is known


def test_month_date_header_sharing_the_first_line(tmp_path):
    report = one(tmp_path, "b.txt", " date 2022-09 Les forces ukrainiennes ont repris Izium et Balakliia.")
    assert report.date == "2022-09"
    assert report.text.startswith("Les forces")
    assert "2022" not in report.text and "date" not in report.text


@pytest.mark.parametrize("header", ["Date: 2022-09-10", "DATE 2022-09-10", "дата: 2022-09-10"])
def test_date_header_spellings(tmp_path, header):
    report = one(tmp_path, "c.txt", f"{header}\r\n\r\nЗСУ звільнили Ізюм.")
    assert report.date == "2022-09-10"
    assert report.text == "ЗСУ звільнили Ізюм."


@pytest.mark.parametrize("header", ["Date: 2022-09-10T08:00:00Z", "date 2022-09-10 08:00 UTC", "date: 2022-09-10 08:00:12+03:00",
                                    "date 2022-09-10 —", "date 2022-09-10,"])
def test_date_header_with_a_time_or_a_separator(header):
    report = make_report(f"{header} Les forces ukrainiennes ont repris Izium.", "x.txt")
    assert report.date == "2022-09-10"
    assert report.text == "Les forces ukrainiennes ont repris Izium."


def test_text_without_a_header_is_undated_and_kept_whole(tmp_path):
    report = one(tmp_path, "d.txt", EN)
    assert report.date is None
    assert report.text == EN


def test_impossible_date_is_not_a_date():
    report = make_report("date 2022-13-40\nUkrainian forces retook Izium.", "x.txt")
    assert report.date is None


# --- Markdown ----------------------------------------------------------------------------------

def test_markdown_front_matter(tmp_path):
    markdown = ("---\ntitle: \"Bakhmut: the claim\"\ndate: 2023-05-21\nsource: ISW\nlanguage: en\n---\n"
                "# Wagner claims Bakhmut\n\nRussian forces **claimed** the capture of [Bakhmut](https://example.org/b).\n"
                "![map](map.png)\n\n- Ukraine *denied* it.\n")
    report = one(tmp_path, "e.md", markdown)
    assert report.date == "2023-05-21"
    assert report.source == "ISW"
    assert report.title == "Bakhmut: the claim"
    assert report.language == "en"
    assert report.text.splitlines()[0] == "Wagner claims Bakhmut"
    assert "Russian forces claimed the capture of Bakhmut." in report.text
    assert "Ukraine denied it." in report.text
    for markup in ("#", "**", "](", "https://", "map.png", "---", "title:", "- "):
        assert markup not in report.text


def test_markdown_date_line_without_front_matter(tmp_path):
    report = one(tmp_path, "f.markdown", "# Soledar\ndate: 2023-01-13\n\nRussian troops captured Soledar.\n")
    assert report.date == "2023-01-13"
    assert "date" not in report.text
    assert report.text == "Soledar\n\nRussian troops captured Soledar."


# --- HTML --------------------------------------------------------------------------------------

PAGE = """<!DOCTYPE html>
<html><head><title>Kupiansk axis &amp; more</title>
<meta name="date" content="2023-10-12T09:30:00Z"><meta name="author" content="Kyiv Independent">
<script>var town = "Kherson"; document.write("Kherson");</script><style>p {color: red}</style></head>
<body><nav><a href="/">Home</a> | <a href="/lviv">Lviv news</a></nav>
<header>Breaking: Odesa</header>
<article><h1>Russian assaults near Kupiansk</h1>
<p>Russian forces attacked near Synkivka &amp; Petropavlivka &mdash; the &laquo;Kupiansk axis&raquo;.</p>
<p>Ukraine&#8217;s army held its positions.</p></article>
<aside>Related: Mariupol</aside><footer>&copy; 2023 Chernihiv Media</footer></body></html>"""


def test_html_keeps_the_article_only(tmp_path):
    report = one(tmp_path, "g.html", PAGE)
    assert report.date == "2023-10-12"
    assert report.title == "Kupiansk axis & more"
    assert report.source == "Kyiv Independent"
    assert report.text.startswith("Russian assaults near Kupiansk")
    assert "Synkivka & Petropavlivka — the «Kupiansk axis»." in report.text
    assert "Ukraine’s army held its positions." in report.text
    for dropped in ("Kherson", "document.write", "color", "Home", "Lviv", "Odesa", "Mariupol", "Chernihiv", "<", "&amp;"):
        assert dropped not in report.text


def test_html_in_a_txt_file_is_recognised(tmp_path):
    report = one(tmp_path, "h.txt", PAGE)
    assert report.text.startswith("Russian assaults near Kupiansk")


# --- JSON, JSONL, CSV exports ------------------------------------------------------------------

def test_json_list_gives_one_report_per_item(tmp_path):
    items = [{"text": "Russian troops captured Soledar.", "date": "2023-01-13", "source": "AP", "language": "en"},
             {"body": "Les troupes russes ont quitté Kherson.", "published": "2022-11-11T10:00:00Z", "outlet": "AFP"}]
    path = write(tmp_path, "wire.json", json.dumps(items, ensure_ascii=False))
    reports = read_report_file(path)
    assert [r.path for r in reports] == [f"{path}#0", f"{path}#1"]
    assert [r.text for r in reports] == ["Russian troops captured Soledar.", "Les troupes russes ont quitté Kherson."]
    assert [r.date for r in reports] == ["2023-01-13", "2022-11-11"]
    assert [r.source for r in reports] == ["AP", "AFP"]
    assert [r.language for r in reports] == ["en", "fr"]


def test_json_object_with_a_reports_list(tmp_path):
    data = {"reports": [{"content": "ЗСУ звільнили Кліщіївку.", "date": "2023-09-18"}]}
    reports = read_report_file(write(tmp_path, "wrapped.json", json.dumps(data)))
    assert [(r.text, r.date, r.language) for r in reports] == [("ЗСУ звільнили Кліщіївку.", "2023-09-18", "uk")]


def test_jsonl_one_report_per_line(tmp_path):
    lines = [{"text": "Russian troops captured Soledar.", "date": "2023-01-13"},
             {"text": "ВС РФ штурмуют Угледар.", "date": "2023-02", "lang": "ru", "source": "ТАСС"}]
    path = write(tmp_path, "feed.jsonl", "\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n\n")
    reports = read_report_file(path)
    assert [r.path for r in reports] == [f"{path}#0", f"{path}#1"]
    assert [r.date for r in reports] == ["2023-01-13", "2023-02"]
    assert reports[1].language == "ru" and reports[1].source == "ТАСС"


def test_csv_with_a_text_column(tmp_path):
    csv_text = ("Date,Source,Language,Text\n"
                "2022-09-16,Reuters,en,\"Ukrainian forces retook Kupiansk, officials said.\"\n"
                "2022-09-17,AFP,fr,\"Les forces ukrainiennes, dit-on, tiennent Izium.\"\n")
    path = write(tmp_path, "briefs.csv", csv_text)
    reports = read_report_file(path)
    assert [(r.path, r.date, r.source, r.language) for r in reports] == [
        (f"{path}#0", "2022-09-16", "Reuters", "en"), (f"{path}#1", "2022-09-17", "AFP", "fr")]
    assert reports[0].text == "Ukrainian forces retook Kupiansk, officials said."


def test_html_inside_a_json_field_is_reduced_to_text(tmp_path):
    data = [{"text": "<p>Russian troops captured <b>Soledar</b> &amp; Krasna Hora.</p>", "date": "2023-01-13"}]
    report = read_report_file(write(tmp_path, "html.json", json.dumps(data)))[0]
    assert report.text == "Russian troops captured Soledar & Krasna Hora."


# --- encodings ---------------------------------------------------------------------------------

ENCODINGS = {
    "utf-8": lambda t: t.encode("utf-8"),
    "utf-8 with BOM": lambda t: b"\xef\xbb\xbf" + t.encode("utf-8"),
    "utf-16-le with BOM": lambda t: b"\xff\xfe" + t.encode("utf-16-le"),
    "utf-16-be with BOM": lambda t: b"\xfe\xff" + t.encode("utf-16-be"),
    "utf-16-be without BOM": lambda t: t.encode("utf-16-be"),
    "utf-16-le without BOM": lambda t: t.encode("utf-16-le"),
    "cp1251": lambda t: t.encode("cp1251"),
}


@pytest.mark.parametrize("encoding", sorted(ENCODINGS))
@pytest.mark.parametrize("language,text", [("uk", UK), ("ru", RU)])
def test_every_encoding_decodes_to_the_same_text(tmp_path, encoding, language, text):
    report = one(tmp_path, "r.txt", ENCODINGS[encoding]("date 2023-09-18\n" + text))
    assert report.text == text
    assert report.date == "2023-09-18"
    assert report.language == language
    assert report.report_id == report_id_for(text)


@pytest.mark.parametrize("encoding", ["utf-16-le with BOM", "utf-16-be with BOM", "utf-16-be without BOM", "utf-8 with BOM"])
def test_latin_text_in_other_encodings(tmp_path, encoding):
    assert one(tmp_path, "r.txt", ENCODINGS[encoding](FR)).text == FR


def test_csv_in_cp1251(tmp_path):
    data = "date,text\n2023-01-13,\"ВСУ отошли из Соледара.\"\n".encode("cp1251")
    report = read_report_file(write(tmp_path, "ru.csv", data))[0]
    assert report.text == "ВСУ отошли из Соледара." and report.encoding == "cp1251"


# --- language and ids ----------------------------------------------------------------------------

@pytest.mark.parametrize("expected,text", [("en", EN), ("fr", FR), ("uk", UK), ("ru", RU), ("de", DE), ("es", ES)])
def test_language_detection(expected, text):
    assert detect_language(text) == expected
    assert make_report(text, "x.txt").language == expected


def test_report_id_is_stable_and_depends_on_the_text_only(tmp_path):
    first = one(tmp_path, "one.txt", "date 2022-09-10\n" + EN)
    again = make_report(EN + "\n", "elsewhere/other-name.txt", date="2023-01-01")
    other = make_report(EN.replace("Kupiansk", "Kupyansk"), "one.txt")
    assert first.report_id == again.report_id
    assert first.report_id != other.report_id
    assert first.report_id == one(tmp_path, "copy.txt", EN.encode("utf-16")).report_id


# --- bad input ----------------------------------------------------------------------------------

def test_empty_file(tmp_path):
    assert "empty" in error_of(tmp_path, "empty.txt", b"").reason


def test_whitespace_only_file(tmp_path):
    assert "empty" in error_of(tmp_path, "blank.txt", " \n\t\r\n  \n").reason


def test_date_header_and_nothing_else(tmp_path):
    assert "no report text" in error_of(tmp_path, "header-only.txt", "date 2022-09-10\n\n").reason


@pytest.mark.parametrize("name", ["image.txt", "image.png.txt", "image.md"])
def test_binary_file(tmp_path, name):
    noise = random.Random(7).randbytes(4096)
    error = error_of(tmp_path, name, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + noise)
    assert "binary" in error.reason


def test_file_over_the_size_limit_is_refused_without_reading_it(tmp_path):
    path = tmp_path / "huge.txt"
    with open(path, "wb") as handle:  # sparse: instant, and no 20 MB written
        handle.truncate(MAX_BYTES + 1)
    with pytest.raises(ReportError) as caught:
        read_report_file(path)
    assert str(path) in str(caught.value) and "too large" in caught.value.reason and "20 MB" in caught.value.reason


def test_bytes_over_the_size_limit_are_refused():
    with pytest.raises(ReportError, match="too large"):
        parse_report_bytes(b"a" * (MAX_BYTES + 1), "upload.txt")


def test_missing_file(tmp_path):
    with pytest.raises(ReportError) as caught:
        read_report_file(tmp_path / "nope.txt")
    assert str(tmp_path / "nope.txt") in str(caught.value)


@pytest.mark.parametrize("name,data", [("broken.json", '[{"text": "Izium", '), ("broken.jsonl", '{"text": "ok"}\n{"text": \n')])
def test_malformed_json(tmp_path, name, data):
    assert "malformed JSON" in error_of(tmp_path, name, data).reason


def test_csv_without_a_text_column(tmp_path):
    error = error_of(tmp_path, "notext.csv", "date,source,headline\n2022-09-16,Reuters,Kupiansk retaken\n")
    assert "no text field" in error.reason


def test_json_object_without_text(tmp_path):
    error = error_of(tmp_path, "notext.json", '{"title": "Izium", "date": "2022-09-10"}')
    assert "no text field" in error.reason


def test_json_that_is_not_objects(tmp_path):
    assert "list of objects" in error_of(tmp_path, "numbers.json", "[1, 2, 3]").reason


def test_a_folder_of_good_and_bad_files(tmp_path):
    write(tmp_path, "1-good.txt", "date 2022-09-10\n" + EN)
    write(tmp_path, "2-empty.txt", b"")
    write(tmp_path, "3-good.csv", "date,text\n2022-09-16,Kupiansk was retaken.\n2022-09-17,Izium was retaken.\n")
    write(tmp_path, "4-binary.txt", b"\x89PNG\r\n\x1a\n" + random.Random(3).randbytes(512))
    sub = tmp_path / "sub"
    sub.mkdir()
    write(sub, "5-good.md", "# Title\n\nЗСУ звільнили Кліщіївку.")
    write(sub, "6-broken.json", "{")
    write(sub, "7-cp1251.txt", RU.encode("cp1251"))
    write(sub, "ignored.png", b"\x89PNG\r\n\x1a\n")  # not a report suffix: not even read
    items = list(load_reports([tmp_path]))
    reports = [i for i in items if not isinstance(i, ReportError)]
    errors = [i for i in items if isinstance(i, ReportError)]
    assert sorted(e.path for e in errors) == sorted(str(p) for p in (tmp_path / "2-empty.txt", tmp_path / "4-binary.txt",
                                                                      sub / "6-broken.json"))
    assert len(reports) == 5
    assert {r.path.split("/")[-1] for r in reports} == {"1-good.txt", "3-good.csv#0", "3-good.csv#1", "5-good.md",
                                                         "7-cp1251.txt"}
    assert next(r for r in reports if r.path.endswith("7-cp1251.txt")).text == RU
