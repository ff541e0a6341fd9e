"""The printed edition does not depend on its print run (:func:`analysis.build.pdf.settle`)."""

from __future__ import annotations

from analysis.build import pdf

RUN = (
    b"<</Creator (Mozilla)\n/CreationDate (D:20261130101859+00'00')\n"
    b"/ModDate (D:20261130101859+00'00')>>\n"
    b"<</S /TH /ID (node00050755)>> <</S /TH /ID (node00050790)>>\n"
    b"<</S /TD /Headers [(node00050790) (node00050755)]>>\n"
)


def test_dates_and_structure_ids_are_settled_in_place(tmp_path):
    first, second = tmp_path / "a.pdf", tmp_path / "b.pdf"
    first.write_bytes(RUN)
    # another run: another clock, ids shifted by the renderer's own count
    second.write_bytes(
        RUN.replace(b"101859", b"235959")
        .replace(b"00050755", b"00050756")
        .replace(b"00050790", b"00050791")
    )
    for path in (first, second):
        pdf.settle(path, "2025-03-07")
    assert first.read_bytes() == second.read_bytes()
    text = first.read_bytes()
    assert len(text) == len(RUN)  # the offsets of the file still hold
    assert text.count(b"(D:20250307000000+00'00')") == 2
    # ids numbered in the order they appear, and every reference follows its id
    assert b"/ID (node00000001)>> <</S /TH /ID (node00000002)" in text
    assert b"/Headers [(node00000002) (node00000001)]" in text


def test_an_unchanged_site_reuses_the_last_printed_edition(tmp_path, monkeypatch):
    """make book prints the PDF again only when what it is made from has changed."""
    from analysis.build import publish
    from analysis.build.reach import PDF_NAME

    site = tmp_path / "site"
    (site / "_static").mkdir(parents=True)
    (site / "index.html").write_text("<p>第一版</p>", encoding="utf-8")
    prints = []

    def fake_print(argv):
        prints.append(argv)
        (site / "_static" / PDF_NAME).write_bytes(b"%PDF " + bytes(len(prints)))
        return 0

    monkeypatch.setattr(pdf, "main", fake_print)
    monkeypatch.setattr(publish, "PDF_KEPT", tmp_path / "kept")
    assert publish.print_edition(site) == 0 and len(prints) == 1
    (site / "_static" / PDF_NAME).unlink()  # a fresh staging folder has no PDF
    assert publish.print_edition(site) == 0 and len(prints) == 1
    assert (site / "_static" / PDF_NAME).read_bytes() == b"%PDF \x00"
    (site / "index.html").write_text("<p>第二版</p>", encoding="utf-8")
    assert publish.print_edition(site) == 0 and len(prints) == 2
