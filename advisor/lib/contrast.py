"""Colour contrast as WCAG 2.2 defines it (https://www.w3.org/TR/WCAG22/#dfn-contrast-ratio)."""

WHITE = "#ffffff"
# WCAG 2.2 success criterion 1.4.3: normal text needs at least 4.5:1.
TEXT_CONTRAST = 4.5


def relative_luminance(color: str) -> float:
    """Of a #rrggbb colour (WCAG 2.2, "relative luminance")."""
    channels = [int(color[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(first: str, second: str) -> float:
    """From 1 (the same) to 21 (black on white)."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)),
                             reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def darker_shade(color: str, *, against: str = WHITE, ratio: float = TEXT_CONTRAST) -> str:
    """The lightest shade of `color` (mixed with black) with at least `ratio` against `against`."""
    red, green, blue = (int(color[i:i + 2], 16) for i in (1, 3, 5))
    for step in range(101):
        keep = 1 - step / 100
        shade = "#{:02x}{:02x}{:02x}".format(*(round(c * keep) for c in (red, green, blue)))
        if contrast_ratio(shade, against) >= ratio:
            return shade
    return "#000000"
