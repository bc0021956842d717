"""What the sandbox's browser tests do on a page: check it (axe, a phone's width), screenshot it, answer fields."""

WIDE, PHONE = {"width": 1280, "height": 900}, {"width": 390, "height": 844}


def check_page(page, axe):
    """No axe violations at 1280 px, and at 390 px nothing makes the page scroll sideways.

    The signed-in bar above the header (base.html, outside any landmark: axe's best-practice "region") is
    the shared layout's, not the sandbox's, so it is left out here.
    """
    results = axe.run(page, context={"exclude": [[".lms-userbar"]]})
    found = [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in results.response["violations"]]
    assert results.violations_count == 0, (page.url, found)
    page.set_viewport_size(PHONE)
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    page.set_viewport_size(WIDE)
    assert overflow <= 0, (page.url, f"{overflow}px wider than a 390 px screen")


def shots(page, name):
    """Full-page screenshots at both widths, for a person to look at (LMS_SCREENSHOTS names the folder)."""
    import os

    folder = os.environ.get("LMS_SCREENSHOTS")
    if folder:
        for label, size in (("wide", WIDE), ("phone", PHONE)):
            page.set_viewport_size(size)
            page.screenshot(path=f"{folder}/{name}-{label}.png", full_page=True)
        page.set_viewport_size(WIDE)


def tick(page, label_text):
    """Click a USWDS checkbox or radio the way a person does: on its label (the input itself is styled away)."""
    page.locator("label", has_text=label_text).click()


def select(page, label, option_text):
    page.get_by_label(label, exact=True).select_option(label=option_text)


def fill_client(page, dob=None):
    """Answer the profile questions HUD requires (names and date of birth come from the search)."""
    if dob:
        page.get_by_label("3.03 Date of birth").fill(dob)
    select(page, "3.01 Name data quality", "Full name reported")
    select(page, "3.02 SSN data quality", "Client doesn't know")
    select(page, "3.03 DOB data quality", "Full DOB reported")
    select(page, "4.21 Sex", "Male")
    tick(page, "White")
    select(page, "3.07 Veteran status (adults)", "No")


def option_value(page, label, option_text):
    return page.get_by_label(label, exact=True).locator("option", has_text=option_text).first.get_attribute("value")
