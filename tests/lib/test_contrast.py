"""Contrast ratios as WCAG 2.2 computes them."""

from advisor.lib.contrast import contrast_ratio, darker_shade


def test_black_on_white_is_21_to_1_and_a_colour_on_itself_1_to_1():
    assert round(contrast_ratio("#000000", "#ffffff"), 2) == 21
    assert contrast_ratio("#1f4e79", "#1f4e79") == 1


def test_the_lightest_grey_for_text_on_white_is_767676():
    # The well-known threshold: #767676 gives 4.54:1 on white, #777777 only 4.48:1.
    assert round(contrast_ratio("#767676", "#ffffff"), 2) == 4.54
    assert round(contrast_ratio("#777777", "#ffffff"), 2) == 4.48


def test_the_default_orange_is_too_light_for_text_and_the_default_blue_is_not():
    assert contrast_ratio("#e07a1f", "#ffffff") < 4.5 < contrast_ratio("#1f4e79", "#ffffff")


def test_a_darker_shade_is_the_lightest_one_that_reaches_the_ratio():
    shade = darker_shade("#e07a1f")
    assert contrast_ratio(shade, "#ffffff") >= 4.5
    assert shade != "#e07a1f" and shade != "#000000"
    assert darker_shade("#1f4e79") == "#1f4e79"
