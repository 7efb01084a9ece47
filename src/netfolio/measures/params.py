"""Every weight, half-life, saturation constant and threshold the measures use, in one place.

``Params()`` holds the defaults documented in ``docs/measures.md``; change any of them with
``dataclasses.replace(Params(), weekly_budget=7)``. Each field says where its default comes
from: a study where one gives a number, otherwise a design choice (and the docs say so).
Tuples indexed "per tier" follow :data:`netfolio.core.enums.TIERS` (5, 15, 50, 150, 500, 1500);
tuples indexed by an enum follow that enum's codes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from itertools import pairwise

from netfolio.core import person_stats
from netfolio.core.defaults import DEFAULT_WEEKLY_BUDGET
from netfolio.core.enums import TIERS, Channel, Intent
from netfolio.errors import ValidationError

#: Days in an average Gregorian month, for budgets expressed in months.
DAYS_PER_MONTH = 365.2425 / 12


@dataclass(frozen=True)
class Params:
    """The measures' parameters; defaults are documented (with sources) in docs/measures.md."""

    # -- tie strength: the current contact rate, on a human scale -------------------------
    channel_weights: tuple[float, ...] = person_stats.CHANNEL_WEIGHTS
    """Weight of one contact per channel code (in person, call, video, message, email, event,
    social), in units of a one-to-one message. The ordering is Granovetter's intimacy (1973)
    and relationship-intelligence practice; the numbers are a design choice."""

    group_exponent: float = person_stats.GROUP_EXPONENT
    """A contact shared by g people counts g**-1 of a one-to-one: your attention at a table of
    four is a quarter each (a time budget, as in Dunbar's layers). Chosen on the soundness
    benchmark's design seeds over 0.5 (which left team meetings counting too much)."""

    withdrawal_weight: float = person_stats.WITHDRAWAL_WEIGHT
    """Weight of an ask (yours, or theirs of you) relative to other contact: a withdrawal is not
    closeness (Granovetter 1973, "reciprocal services"; Grant 2013 on takers). Design choice,
    checked on the soundness benchmark's design seeds."""

    rate_half_lives_days: tuple[float, ...] = person_stats.HALF_LIVES
    """Half-lives of the recent windows the long-run rate is checked against, longest first:
    two years, six months, two months. Design choice (the windows of the 12-month count and the
    1-year decayed count bracket them)."""

    rate_confidence_z: float = 1.5
    """Width of the interval each window allows, in standard deviations: smaller follows drift
    sooner, larger keeps a steady tie's long-run rate through chance gaps. Chosen on the
    soundness benchmark's design seeds (1.0-2.5 tried)."""

    rate_prior_events: float = 0.5
    """Pseudo-contacts of the Gamma prior on every rate (Jeffreys' 0.5). Design choice."""

    rate_prior_per_year: float = 4.0
    """The prior's rate (contacts a year): a tie with little history starts near quarterly.
    Chosen on the soundness benchmark's design seeds (1 and 4 tried)."""

    silence_evidence: float = 6.0
    """A silence of s days caps the rate at 6/s: a rate under which that silence had a chance
    below e**-6 (0.25%) is ruled out. Chosen on the design seeds (3, 6, 10 tried): 3 cut bursty
    ties with seasonal gaps."""

    rate_anchors: tuple[tuple[float, float], ...] = (
        (0.25, 0.0), (1.0, 25.0), (4.0, 50.0), (12.0, 75.0), (52.0, 100.0),
    )
    """(weighted contacts a year, points): the score is linear in the rate's logarithm between
    these human anchors: once in four years 0, yearly 25, quarterly 50, monthly 75, weekly 100.
    Design choice (Dunbar's layers are weekly, monthly, twice a year and yearly contact)."""

    closeness_blend: float = 0.3
    """Share of the score taken by the user's closeness rating where one is set (Marsden & Campbell
    1984: closeness is the best single indicator). The behavioural parts keep the rest. Design
    choice."""

    layer_thresholds: tuple[float, ...] = (85.0, 72.0, 55.0, 40.0, 25.0, 10.0)
    """Strength needed for each inferred layer, innermost first (about every two to three weeks
    for the 5 layer, monthly for 15, every two months for 50, twice a year for 150, yearly for
    500, once in two years for 1,500): in a small or new ledger the few people in it are not
    all "the closest 5". Design choice after Dunbar's layer cadences."""

    frequency_window_days: int = 365
    """Window for the transactional index and the interactions "in the last year": 12 months
    (the transactional index is asks ÷ the outreach you started over the last 12 months)."""

    # -- tiers and cadence ----------------------------------------------------------------
    cadence_days: tuple[int, ...] = (7, 30, 182, 365, 730, 1095)
    """Expected contact interval per tier. Dunbar's layers: roughly weekly (5), monthly (15),
    twice a year (50) and yearly (150); 500 and 1,500 are a design choice."""

    # -- value and contributions -----------------------------------------------------------
    weekly_budget: int = DEFAULT_WEEKLY_BUDGET
    """Touches a week (deposits you start) that count as keeping up contributions, and that
    the weekly plan fills: a steady, small index-fund contribution. The same default as the
    stored setting's (:data:`netfolio.core.defaults.DEFAULT_WEEKLY_BUDGET`). Design choice."""

    value_series_months: int | None = None
    """Months of value history to compute; None goes back to the first interaction."""

    # -- allocation and diversity ----------------------------------------------------------
    field_cap: float = 0.15
    """Largest target share for any one field that is not yours: a broad, capped index (design
    choice, after capped index funds)."""

    own_field_cap: float = 0.35
    """Largest target share for one of your own fields: home bias allowed, within limits
    (networking only inside your own field limits you; Reagans & Zuckerman 2001 on range).
    Design choice."""

    target_method: str = "capped_headcount"
    """Default target: ``"capped_headcount"`` (head-count shares with the caps above, excess
    spread over the other fields) or ``"equal"`` (equal across fields present, capped)."""

    own_field_floor: float = 0.20
    """Smallest default target share for one of your own fields (when your ledger holds few
    of your colleagues, e.g. after importing a phone's address book, their head-count share
    would say "under-weight" of the field you work in). One in five: a design choice, kept
    under the own-field cap (docs/measures.md)."""

    target_allocation: Mapping[str, float] | None = None
    """An explicit target by field slug (normalised to sum 1); overrides ``target_method``."""

    target_shares: Mapping[str, float] | None = None
    """Targets you set for some fields (fractions of 1, summing to at most 1: ``netfolio targets
    set``): those fields get exactly that share, the other fields share the rest in proportion
    to their default target."""

    hhi_bands: tuple[float, float] = (1500.0, 2500.0)
    """HHI bands: below the first is unconcentrated, above the second highly concentrated (the
    US 2010 Horizontal Merger Guidelines)."""

    rebalance_fields: int = 5
    """How many under-weighted fields the rebalancing list names."""

    rebalance_people: int = 5
    """How many people the rebalancing list suggests per field."""

    two_way_channels: tuple[int, ...] = person_stats.TWO_WAY_CHANNELS
    """Channels that are two-way by nature: one such contact makes a person a relationship even
    if one side started every contact (a connection becomes a relationship through two-way
    contact). Design choice."""

    # -- goodwill --------------------------------------------------------------------------
    intent_goodwill: tuple[float, ...] = (1.0, 1.0, 2.0, -2.0, -1.0, 0.0)
    """Goodwill per interaction by intent code: catch_up +1, share +1, give +2 (introductions
    are gives), ask -2, received -1, asked_of_me 0. Signs follow Sahlins' balanced reciprocity
    and Grant 2013 (givers and takers); the sizes are a design choice."""

    ask_budget_months: float = 6.0
    """At most one ask of a person per this many months: people have little bandwidth for
    anyone's asks (design choice)."""

    taker_min_asks: int = 2
    """A person needs at least this many asks of you before they can count as a taker."""

    taker_share: float = 0.5
    """A taker's asks of you exceed this share of their contact with you (Grant 2013's takers)."""

    # -- dormant ties ----------------------------------------------------------------------
    dormancy_multiple: float = 8.0
    """Silence beyond this multiple of a tie's own median interval marks decay (Navarro et al.,
    EPJ Data Science 2017: about 8x)."""

    dormant_min_rate: float = 4.0
    """Weighted contacts a year, from a tie's start to its last contact, that make it "strong
    once" (quarterly contact: the 50 points anchor). Chosen on the soundness benchmark's design
    seeds (2, 3, 4, 6 tried)."""

    dormant_rate_window_days: int = 365
    """The "strong once" rate is taken over at least this many days (a year): a short burst of
    contact is not a strong tie. Chosen on the design seeds (1, 183, 365, 730 tried; 730 was a
    little more precise on bursty contact but missed a tie close for eight months)."""

    dormant_min_silence_days: int = 365
    """Least silence for a dormant tie, whatever its rhythm: a year (design choice)."""

    dormant_peak_center: float = 50.0
    """Peak strength the reconnection value favours most: an inverted U, because weaker dormant
    ties gave the most novel value (Levin, Walter & Murnighan 2011; Walter et al. 2015) but a tie
    needs some history to revive. Design choice."""

    dormant_weight_peak: float = 0.6
    """Weight of the past-peak term in the reconnection value (design choice)."""

    dormant_weight_gap: float = 0.4
    """Weight of the field-gap term (how much the person's field is under target; Burt 1992 and
    Reagans & Zuckerman 2001: range across groups pays). Design choice."""

    # -- brokerage -------------------------------------------------------------------------
    brokerage_min_strength: float = 0.0
    """Alters of the ego network: people with strength above this (design choice)."""

    def __post_init__(self) -> None:
        """Reject parameters that would break the documented properties of the measures."""
        _check_len("layer_thresholds", self.layer_thresholds, len(TIERS))
        _check_len("cadence_days", self.cadence_days, len(TIERS))
        _check_len("channel_weights", self.channel_weights, len(Channel.__members__))
        _check_len("intent_goodwill", self.intent_goodwill, len(Intent.__members__))
        if any(b >= a for a, b in pairwise(self.layer_thresholds)):
            raise ValidationError("layer_thresholds must decrease from the innermost tier")
        halves = self.rate_half_lives_days
        if not halves or min(halves) <= 0 or any(b >= a for a, b in pairwise(halves)):
            raise ValidationError("rate_half_lives_days must be positive and decrease")
        rates = [r for r, _ in self.rate_anchors]
        points = [q for _, q in self.rate_anchors]
        if len(rates) < 2 or min(rates) <= 0 or any(b <= a for a, b in pairwise(rates)) \
                or any(b < a for a, b in pairwise(points)):
            raise ValidationError("rate_anchors must rise in rate (above 0) and not fall in points")
        if not 0.0 <= self.closeness_blend <= 1.0:
            raise ValidationError("closeness_blend must be between 0 and 1")
        if not all(w > 0 for w in self.channel_weights) or not self.withdrawal_weight > 0:
            raise ValidationError("channel_weights and withdrawal_weight must be positive")
        positive = {
            "rate_confidence_z": self.rate_confidence_z,
            "rate_prior_events": self.rate_prior_events,
            "rate_prior_per_year": self.rate_prior_per_year,
            "silence_evidence": self.silence_evidence,
            "frequency_window_days": self.frequency_window_days,
            "ask_budget_months": self.ask_budget_months,
            "dormancy_multiple": self.dormancy_multiple,
            "dormant_min_rate": self.dormant_min_rate,
            "dormant_rate_window_days": self.dormant_rate_window_days,
            "field_cap": self.field_cap,
            "own_field_cap": self.own_field_cap,
        }
        if not 0 <= self.own_field_floor <= self.own_field_cap:
            raise ValidationError("own_field_floor must be between 0 and own_field_cap")
        if self.target_shares is not None and (
                any(not 0 <= v <= 1 for v in self.target_shares.values())
                or sum(self.target_shares.values()) > 1 + 1e-9):
            raise ValidationError("target_shares are fractions from 0 to 1 that add up to at "
                                  "most 1")
        for name, value in positive.items():
            if not value > 0:
                raise ValidationError(f"{name} must be positive")
        if self.group_exponent < 0:
            raise ValidationError("group_exponent must not be negative")
        if self.target_method not in ("capped_headcount", "equal"):
            raise ValidationError("target_method must be 'capped_headcount' or 'equal'")

    @property
    def ask_budget_days(self) -> float:
        """The ask budget in days."""
        return self.ask_budget_months * DAYS_PER_MONTH

    @property
    def fits_kept_statistics(self) -> bool:
        """Whether the statistics kept per person (computed with the default weights and
        half-lives, :mod:`netfolio.core.person_stats`) answer for these parameters."""
        return person_stats.same_spec(self.channel_weights, self.group_exponent,
                                      self.withdrawal_weight, self.rate_half_lives_days,
                                      self.two_way_channels)

def _check_len(name: str, values: tuple[object, ...], n: int) -> None:
    if len(values) != n:
        raise ValidationError(f"{name} needs {n} values, got {len(values)}")


DEFAULT_PARAMS = Params()

__all__ = ["DAYS_PER_MONTH", "DEFAULT_PARAMS", "Params"]
