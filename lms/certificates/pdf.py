"""Draw a certificate as a one-page PDF (fpdf2), with its QR code drawn as vector squares (segno).

Names in any script must not break it: the text is set in a Unicode TrueType font, the first of
``CERTIFICATE_FONT`` (a setting) and the DejaVu Sans that Debian's ``fonts-dejavu-core`` installs.
Without one, the PDF core font Helvetica is used and characters it cannot show become "?": the
certificate is still made, never an error.  A glyph the font lacks (DejaVu has no Chinese, for
example) is left blank by fpdf2, which logs it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import segno
from fpdf import FPDF

from lms.certificates import rules

#: Where Unicode fonts are looked for, regular then bold (Debian/Ubuntu, then Fedora/RHEL).
FONT_CANDIDATES: tuple[tuple[str, str], ...] = (
    ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
    ("/usr/share/fonts/dejavu-sans-fonts/DejaVuSans.ttf", "/usr/share/fonts/dejavu-sans-fonts/DejaVuSans-Bold.ttf"),
)


@dataclass(frozen=True)
class Face:
    """What a certificate says: the person, the year, each requirement and when it was met, the code."""

    name: str
    fiscal_year: int
    #: (requirement label, when met, already formatted as a local date).
    requirements: list[tuple[str, str]]
    issued_on: str
    code: str
    verify_url: str
    issuer: str = "HMIS Lead"


def find_font(configured: str | None = None) -> tuple[str, str | None] | None:
    """Return (regular, bold or None) paths of a Unicode TrueType font, or None when there is none."""
    if configured:
        path = Path(configured)
        return (str(path), None) if path.is_file() else None
    for regular, bold in FONT_CANDIDATES:
        if Path(regular).is_file():
            return regular, bold if Path(bold).is_file() else None
    return None


def qr_code(url: str) -> segno.QRCode:
    """Return the QR code of ``url`` (medium error correction: survives a crease or a smudge)."""
    return segno.make(url, error="m")


def render(face: Face, *, font: tuple[str, str | None] | None) -> bytes:
    """Return the certificate as PDF bytes (US Letter, landscape)."""
    pdf = FPDF(orientation="L", unit="mm", format="letter")
    pdf.set_auto_page_break(False)
    pdf.set_creator("HMIS training platform")
    pdf.set_title(f"Certificate of annual HMIS training, fiscal year {face.fiscal_year}")
    pdf.set_subject(f"Verification code {face.code}")
    pdf.set_keywords(f"{face.code} {face.verify_url}")
    if font is not None:
        regular, bold = font
        pdf.add_font("Body", "", regular)
        pdf.add_font("Body", "B", bold or regular)
        family, clean = "Body", (lambda text: text)
    else:
        family = "Helvetica"

        def clean(text: str) -> str:
            return text.encode("latin-1", "replace").decode("latin-1")

    pdf.add_page()
    width = pdf.w - 2 * pdf.l_margin
    pdf.set_draw_color(40, 60, 90)
    pdf.set_line_width(1.2)
    pdf.rect(8, 8, pdf.w - 16, pdf.h - 16)

    def line(text: str, size: float, style: str = "", gap: float = 2) -> None:
        pdf.set_font(family, style, size)
        pdf.set_x(pdf.l_margin)
        pdf.multi_cell(width, size * 0.5, clean(text), align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(gap)

    pdf.set_y(22)
    line("Certificate of annual HMIS training", 26, "B", 6)
    line("This certifies that", 13)
    line(face.name, 24, "B", 4)
    line(f"completed the annual HMIS training of fiscal year {face.fiscal_year} "
         f"(October 1, {face.fiscal_year - 1} to September 30, {face.fiscal_year}):", 13, "", 4)
    pdf.set_font(family, "", 12)
    for label, when in face.requirements:
        pdf.set_x(pdf.l_margin + 40)
        pdf.cell(width - 120, 7, clean(label), new_x="RIGHT", new_y="TOP")
        pdf.cell(40, 7, clean(f"completed {when}"), align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    line(f"Issued {face.issued_on} by the {face.issuer}.", 11)

    # The verification block: the code to type, and a QR code of the page that checks it.
    size, top = 38.0, pdf.h - 20 - 38.0
    left = pdf.w - pdf.r_margin - size - 6
    _draw_qr(pdf, qr_code(face.verify_url), left, top, size)
    pdf.set_xy(pdf.l_margin + 6, top + 6)
    pdf.set_font(family, "", 11)
    pdf.multi_cell(left - pdf.l_margin - 16, 6, clean(
        "Check that this certificate is genuine and still valid: scan the code on the right, or open "
        f"{face.verify_url.rsplit('/', 1)[0]} and enter the verification code:"), align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.set_x(pdf.l_margin + 6)
    pdf.set_font(family, "B", 16)
    pdf.cell(0, 10, rules.display_code(face.code))
    return bytes(pdf.output())


def _draw_qr(pdf: FPDF, qr: segno.QRCode, left: float, top: float, size: float) -> None:
    """Draw ``qr`` as filled squares (one rectangle per run of dark modules in a row), with its quiet zone."""
    border = 4
    rows = list(qr.matrix_iter(border=border))
    module = size / len(rows)
    pdf.set_fill_color(0, 0, 0)
    for r, row in enumerate(rows):
        c, n = 0, len(row)
        while c < n:
            if not row[c]:
                c += 1
                continue
            start = c
            while c < n and row[c]:
                c += 1
            pdf.rect(left + start * module, top + r * module, (c - start) * module, module, style="F")

