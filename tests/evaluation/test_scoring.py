"""Official scoring (Circular 01/2018 Art 13–15, DOMAIN.md §5): pure functions, no database.

Every expected value is worked out by hand from the rules; the arithmetic is in the case's
comment or id. 2026 calendar: Tue 31/3 is a working day, Mon 30/3 the one before it.
"""

from datetime import date
from decimal import Decimal

import pytest

from evaluation.scoring import (
    AgencyClass,
    OfficerBand,
    agency_class,
    agency_total,
    answer_index,
    competition_ranks,
    decision_766_groups,
    index_1,
    index_2,
    index_score,
    index_scores,
    officer_band,
    officer_total,
    time_score,
)

D = Decimal
DUE = date(2026, 3, 31)


@pytest.mark.parametrize(
    ("finished_on", "due_date", "original", "expected"),
    [
        (date(2026, 3, 30), DUE, None, 2),  # a day before the due date: shorter
        (date(2026, 3, 31), DUE, None, 1),  # on the due date (its last working day): equal
        (date(2026, 4, 1), DUE, None, 0),  # a day after: longer
        (date(2026, 4, 4), DUE, None, 0),  # Saturday after the due date: still longer
        (None, DUE, None, None),  # in progress: no score yet
        (date(2026, 3, 30), None, None, None),  # no computable limit: no data
        # Apology moved the date from 31/3 to 7/4; finished 6/4 is after the original limit: 0.
        (date(2026, 4, 6), date(2026, 4, 7), DUE, 0),
        # Finished on the original date, the moved date is later: 1 (the original counts).
        (DUE, date(2026, 4, 7), DUE, 1),
    ],
)
def test_index_1_compares_the_finish_date_with_the_original_limit(finished_on, due_date, original, expected):
    assert index_1(finished_on=finished_on, due_date=due_date, original_due_date=original) == expected


@pytest.mark.parametrize(
    ("units", "fallback", "expected"),
    [
        # Two units, both early: min(2, 2) = 2.
        ([(date(2026, 3, 2), date(2026, 3, 5)), (date(2026, 3, 10), date(2026, 3, 12))], 1, 2),
        # One early, one on its date: min(2, 1) = 1.
        ([(date(2026, 3, 2), date(2026, 3, 5)), (date(2026, 3, 12), date(2026, 3, 12))], 2, 1),
        # One late unit decides even if the dossier itself was early: min(2, 0) = 0.
        ([(date(2026, 3, 2), date(2026, 3, 5)), (date(2026, 3, 13), date(2026, 3, 12))], 2, 0),
        # No unit with a limit: the receiving agency alone, its index 1.
        ([], 1, 1),
        ([(date(2026, 3, 2), None)], 2, 2),  # a unit without a due date is left out
        ([], None, None),  # nothing known
        # A unit not finished while the dossier is scored: no data.
        ([(None, date(2026, 3, 5))], 2, None),
    ],
)
def test_index_2_takes_the_lowest_unit(units, fallback, expected):
    assert index_2(units, fallback=fallback) == expected


@pytest.mark.parametrize(
    ("scores", "expected"),
    [([2], 2), ([1], 1), ([0], 0), ([2, 0], 0), ([None, 1], 1), ([], None), ([None], None)],
)
def test_answer_index_is_the_lowest_answer(scores, expected):
    assert answer_index(scores) == expected


@pytest.mark.parametrize("bad", [3, -1, True, "2"])
def test_answer_index_refuses_a_score_outside_0_to_2(bad):
    with pytest.raises(ValueError):
        answer_index([bad])


@pytest.mark.parametrize(
    ("total", "count", "expected"),
    [
        (23, 20, D("1.2")),  # 23/20 = 1.15 -> 1.2 (float: round(1.15, 1) == 1.1)
        (9, 20, D("0.5")),  # 0.45 -> 0.5
        (41, 40, D("1.0")),  # 1.025 -> 1.0 (only the first decimal is kept)
        (1, 4, D("0.3")),  # 0.25 -> 0.3
        (5, 4, D("1.3")),  # 1.25 -> 1.3
        (7, 4, D("1.8")),  # 1.75 -> 1.8
        (3, 20, D("0.2")),  # 0.15 -> 0.2
        (29, 20, D("1.5")),  # 1.45 -> 1.5
        (1, 3, D("0.3")),  # 0.333… -> 0.3
        (5, 3, D("1.7")),  # 1.666… -> 1.7
        (0, 5, D("0.0")),  # all zero: a score of 0, not "no data"
        (10, 5, D("2.0")),  # all two
        (0, 0, None),  # no dossier with the index: excluded
    ],
)
def test_index_score_is_rounded_half_up_to_one_decimal(total, count, expected):
    score = index_score(total, count)
    assert score == expected
    if expected is not None:
        assert str(score) == str(expected)  # one decimal place, as published


def test_index_score_agrees_with_decimal_round_half_up():
    from decimal import ROUND_HALF_UP

    for count in range(1, 121):
        for total in range(0, 2 * count + 1):
            expected = (Decimal(total) / Decimal(count)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
            assert index_score(total, count) == expected, (total, count)


@pytest.mark.parametrize(("total", "count"), [(5, 2), (-1, 2), (1, -1)])
def test_index_score_refuses_an_impossible_tally(total, count):
    with pytest.raises(ValueError):
        index_score(total, count)


def test_index_scores_leave_indices_without_data_out():
    # Index 1: 7/4 = 1.75 -> 1.8; index 2: no dossier; index 3: 2/2 = 2.0.
    assert index_scores({1: (7, 4), 2: (0, 0), 3: (2, 1)}) == {1: D("1.8"), 3: D("2.0")}


@pytest.mark.parametrize(
    ("scores", "total", "band"),
    [
        # 2.0 + 2.0 + 2.0 + 2.0 + 2.0 = 10.0
        ({1: D("2.0"), 2: D("2.0"), 3: D("2.0"), 4: D("2.0"), 7: D("2.0")}, D("10.0"), OfficerBand.FULL),
        # 1.0 + 1.0 + 1.0 + 1.0 + 1.0 = 5.0: exactly the full-completion threshold
        ({1: D("1.0"), 2: D("1.0"), 3: D("1.0"), 4: D("1.0"), 7: D("1.0")}, D("5.0"), OfficerBand.FULL),
        # 1.0 + 1.0 + 1.0 + 1.0 + 0.9 = 4.9
        ({1: D("1.0"), 2: D("1.0"), 3: D("1.0"), 4: D("1.0"), 7: D("0.9")}, D("4.9"), OfficerBand.MOST),
        # 1.5 + 2.0 = 3.5 (no answers: 3, 4, 7 excluded): the 70 % threshold
        ({1: D("1.5"), 2: D("2.0")}, D("3.5"), OfficerBand.MOST),
        # 1.4 + 2.0 = 3.4
        ({1: D("1.4"), 2: D("2.0")}, D("3.4"), OfficerBand.BELOW),
        # unit indices 5 and 9 are not the officer's: 0.5 + 0.5 = 1.0
        ({1: D("0.5"), 3: D("0.5"), 5: D("2.0"), 9: D("2.0")}, D("1.0"), OfficerBand.BELOW),
        ({}, D("0.0"), OfficerBand.BELOW),
    ],
)
def test_officer_total_and_band(scores, total, band):
    assert officer_total(scores) == total
    assert officer_band(officer_total(scores)) == band


@pytest.mark.parametrize(
    ("scores", "total", "klass"),
    [
        # all nine at 2.0: 18.0
        ({i: D("2.0") for i in range(1, 10)}, D("18.0"), AgencyClass.EXCELLENT),
        # 1.7x5 = 8.5 + 1.5x4 = 6.0 -> 14.5... with index 1 at 2.0 instead: 8.8 + 6.0 = 14.8
        (
            {
                1: D("2.0"),
                2: D("1.7"),
                3: D("1.7"),
                4: D("1.7"),
                7: D("1.7"),
                5: D("1.5"),
                6: D("1.5"),
                8: D("1.5"),
                9: D("1.5"),
            },
            D("14.8"),
            AgencyClass.GOOD,
        ),
        # 15.0 exactly: 2.0x6 + 1.0x3
        (
            {
                1: D("2.0"),
                2: D("2.0"),
                3: D("2.0"),
                4: D("2.0"),
                7: D("2.0"),
                5: D("2.0"),
                6: D("1.0"),
                8: D("1.0"),
                9: D("1.0"),
            },
            D("15.0"),
            AgencyClass.EXCELLENT,
        ),
        # 12.0 exactly: 2.0x5 + 0.5x4
        (
            {
                1: D("2.0"),
                2: D("2.0"),
                3: D("2.0"),
                4: D("2.0"),
                7: D("2.0"),
                5: D("0.5"),
                6: D("0.5"),
                8: D("0.5"),
                9: D("0.5"),
            },
            D("12.0"),
            AgencyClass.GOOD,
        ),
        # no self-assessment, indices 1,2,3,4,7 only: 2.0x4 + 1.0 = 9.0 -> Khá (not rescaled)
        ({1: D("2.0"), 2: D("2.0"), 3: D("2.0"), 4: D("2.0"), 7: D("1.0")}, D("9.0"), AgencyClass.FAIR),
        # 8.9: 2.0x4 + 0.9
        ({1: D("2.0"), 2: D("2.0"), 3: D("2.0"), 4: D("2.0"), 7: D("0.9")}, D("8.9"), AgencyClass.AVERAGE),
        # 6.0: 2.0x3
        ({1: D("2.0"), 2: D("2.0"), 9: D("2.0")}, D("6.0"), AgencyClass.AVERAGE),
        # 5.9: 2.0x2 + 1.9
        ({1: D("2.0"), 2: D("2.0"), 9: D("1.9")}, D("5.9"), AgencyClass.POOR),
        ({}, D("0.0"), AgencyClass.POOR),
    ],
)
def test_agency_total_and_class(scores, total, klass):
    assert agency_total(scores) == total
    assert agency_class(agency_total(scores)) == klass


def test_competition_ranks_share_a_rank_on_ties():
    # 14.0 first; 12.5 twice second; 9.0 fourth (not third)
    assert competition_ranks([D("12.5"), D("14.0"), D("9.0"), D("12.5")]) == [2, 1, 4, 2]


def test_decision_766_estimates_three_groups_and_labels_the_rest():
    groups = {
        group.key: group
        for group in decision_766_groups(
            processed_in_time=45, processed_dated=50, processed=60, processed_online=15, satisfied=7, rated=8
        )
    }
    # progress: 20 x 45/50 = 18.0; online service: 12 x 15/60 = 3.0; satisfaction: 18 x 7/8 = 15.75 -> 15.8
    assert groups["progress"].points == D("18.0")
    assert groups["online_service"].points == D("3.0")
    assert groups["satisfaction"].points == D("15.8")
    for key in ("publicity", "online_payment", "digitisation"):
        assert groups[key].points is None and not groups[key].computed
    assert sum(group.max_points for group in groups.values()) == 100
    assert [group.key for group in groups.values()] == [
        "publicity",
        "progress",
        "online_service",
        "online_payment",
        "satisfaction",
        "digitisation",
    ]


def test_decision_766_without_data_gives_no_points():
    groups = decision_766_groups(
        processed_in_time=0, processed_dated=0, processed=0, processed_online=0, satisfied=0, rated=0
    )
    assert all(group.points is None for group in groups)


@pytest.mark.parametrize(("done", "due", "expected"), [(date(2026, 1, 5), date(2026, 1, 6), 2), (None, None, None)])
def test_time_score(done, due, expected):
    assert time_score(done, due) == expected
