"""Every weight, half-life, saturation constant and threshold the measures use, in one place.

``Params()`` holds the defaults documented in ``docs/measures.md``; change any of them with
``dataclasses.replace(Params(), weekly_budget=5)``. Each field says where its default comes
from: a study where one gives a number, otherwise a design choice (and the docs say so).
Tuples indexed "per tier" follow :data:`netfolio.core.enums.TIERS` (5, 15, 50, 150, 500, 1500);
tuples indexed by an enum follow that enum's codes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from itertools import pairwise

from netfolio.core.enums import TIERS, Channel, Intent
from netfolio.errors import ValidationError

#: Days in an average Gregorian month, for budgets expressed in months.
DAYS_PER_MONTH = 365.2425 / 12


@dataclass(frozen=True)
class Params:
    """The measures' parameters; defaults are documented (with sources) in docs/measures.md."""

    # -- tie strength: the five behavioural parts, in points out of 100 -------------------
    weight_recency: float = 30.0
    """Points for recency. Gilbert & Karahalios 2009: days since last contact was the strongest
    single predictor of tie strength, so it gets the largest share (its size is a design
    choice)."""

    weight_frequency: float = 20.0
    """Points for frequency of contact in the last year (Granovetter 1973, "amount of time";
    Marsden & Campbell 1984 warn it overstates ties to coworkers, so it is not the largest)."""

    weight_reciprocity: float = 20.0
    """Points for two-way contact and gives in both directions (Granovetter 1973, "reciprocal
    services"; the industry's min(inbound, outbound) recipe)."""

    weight_depth: float = 15.0
    """Points for the depth of the channels used (Granovetter's intimacy; in person > call/video
    > message/email > social, as relationship-intelligence tools weight them). Design choice."""

    weight_duration: float = 15.0
    """Points for how long the tie has been active (Gilbert & Karahalios 2009: days since first
    contact was the second-best predictor; Marsden & Campbell 1984: duration overstates some
    ties)."""

    closeness_blend: float = 0.3
    """Share of the score taken by the user's closeness rating where one is set (Marsden & Campbell
    1984: closeness is the best single indicator). The behavioural parts keep the rest. Design
    choice."""

    half_life_days: tuple[float, ...] = (180.0, 120.0, 90.0, 60.0, 45.0, 30.0)
    """Recency half-life per tier, innermost first. Inner ties keep their recency longer (Burt
    2002: stronger and older ties decay more slowly); it must not grow outward, which keeps
    strength monotone. Values are a design choice."""

    half_life_outer_days: float = 30.0
    """Recency half-life for people beyond the 1,500 layer (design choice)."""

    first_pass_half_life_days: float = 60.0
    """The half-life of the first pass, which places people without a tier override in a
    provisional tier (the 150 layer's half-life; design choice)."""

    first_pass_thresholds: tuple[float, ...] = (75.0, 60.0, 45.0, 30.0, 15.0, 5.0)
    """First-pass score needed for each tier, innermost first; below the last is "outer".
    Design choice, set so that weekly contact lands in the 5 layer and a yearly note in 500."""

    retention_multiple: float = 2.0
    """Reciprocity, depth and duration fade with silence at ``retention_multiple`` times the
    recency half-life, so a once-close tie decays instead of keeping its history points forever
    (Burt 2002, bridge decay; Roberts & Dunbar 2015, relationship decay). Design choice."""

    frequency_window_days: int = 365
    """Window for frequency and for the transactional index: the last 12 months (issue 4)."""

    frequency_saturation: float = 10.0
    """Interactions in the window that earn 63% (1 - 1/e) of the frequency points: monthly
    contact earns 70%, weekly 99%. Design choice."""

    reciprocity_saturation: float = 3.0
    """Two-way units (min(started by me, started by them) + min(gave, received)) that earn 63%
    of the reciprocity points. Design choice."""

    depth_saturation: float = 5.0
    """Depth units (channel weight x group factor, summed) that earn 63% of the depth points:
    five one-to-one meetings in person. Design choice."""

    channel_weights: tuple[float, ...] = (1.0, 0.8, 0.8, 0.4, 0.4, 0.3, 0.1)
    """Depth weight per channel code: in person, call, video, message, email, event, social.
    Ordering from Granovetter's intimacy and industry practice; the numbers are a design choice."""

    group_exponent: float = 0.5
    """A contact shared by g people counts g**-0.5 of a one-to-one in depth: a dinner for four is
    half as deep for each guest. Design choice."""

    duration_saturation_years: float = 2.0
    """Years between first and last contact that earn 63% of the duration points (five years
    earn 92%). Design choice."""

    # -- tiers and cadence ----------------------------------------------------------------
    cadence_days: tuple[int, ...] = (7, 30, 182, 365, 730, 1095)
    """Expected contact interval per tier. Dunbar's layers: roughly weekly (5), monthly (15),
    twice a year (50) and yearly (150); 500 and 1,500 are a design choice."""

    # -- value and contributions -----------------------------------------------------------
    weekly_budget: int = 3
    """Touches a week (deposits you start) that count as keeping up contributions: a steady,
    small index-fund contribution (the essay). Design choice."""

    value_series_months: int | None = None
    """Months of value history to compute; None goes back to the first interaction (issue 4)."""

    # -- allocation and diversity ----------------------------------------------------------
    field_cap: float = 0.15
    """Largest target share for any one field that is not yours: a broad, capped index (design
    choice, after capped index funds)."""

    own_field_cap: float = 0.35
    """Largest target share for one of your own fields: home bias allowed, within limits (the
    essay; Reagans & Zuckerman 2001 on range). Design choice."""

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

    two_way_channels: tuple[int, ...] = (
        Channel.IN_PERSON.code,
        Channel.CALL.code,
        Channel.VIDEO.code,
    )
    """Channels that are two-way by nature: one such contact makes a person a relationship even
    if one side started every contact (PRODUCT.md I1). Design choice."""

    # -- goodwill --------------------------------------------------------------------------
    intent_goodwill: tuple[float, ...] = (1.0, 1.0, 2.0, -2.0, -1.0, 0.0)
    """Goodwill per interaction by intent code: catch_up +1, share +1, give +2 (introductions
    are gives), ask -2, received -1, asked_of_me 0. Signs follow Sahlins' balanced reciprocity
    and Grant 2013 (givers and takers); the sizes are a design choice."""

    ask_budget_months: float = 6.0
    """At most one ask of a person per this many months (PRODUCT.md; design choice)."""

    taker_min_asks: int = 2
    """A person needs at least this many asks of you before they can count as a taker."""

    taker_share: float = 0.5
    """A taker's asks of you exceed this share of their contact with you (Grant 2013's takers)."""

    # -- dormant ties ----------------------------------------------------------------------
    dormancy_multiple: float = 8.0
    """Silence beyond this multiple of a tie's own median interval marks decay (Navarro et al.,
    EPJ Data Science 2017: about 8x)."""

    dormant_min_peak: float = 30.0
    """Past peak strength a tie needs to count as dormant rather than never strong (design
    choice)."""

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
        weights = (
            self.weight_recency,
            self.weight_frequency,
            self.weight_reciprocity,
            self.weight_depth,
            self.weight_duration,
        )
        if min(weights) < 0 or abs(sum(weights) - 100.0) > 1e-9:
            raise ValidationError("the five strength weights must be non-negative and sum to 100")
        _check_len("half_life_days", self.half_life_days, len(TIERS))
        _check_len("first_pass_thresholds", self.first_pass_thresholds, len(TIERS))
        _check_len("cadence_days", self.cadence_days, len(TIERS))
        _check_len("channel_weights", self.channel_weights, len(Channel.__members__))
        _check_len("intent_goodwill", self.intent_goodwill, len(Intent.__members__))
        halves = (*self.half_life_days, self.half_life_outer_days)
        if min(halves) <= 0 or any(b > a for a, b in pairwise(halves)):
            raise ValidationError("half-lives must be positive and must not grow outward")
        th = self.first_pass_thresholds
        if any(b >= a for a, b in pairwise(th)):
            raise ValidationError("first_pass_thresholds must decrease from the innermost tier")
        if not 0.0 <= self.closeness_blend <= 1.0:
            raise ValidationError("closeness_blend must be between 0 and 1")
        if not all(0.0 <= w <= 1.0 for w in self.channel_weights):
            raise ValidationError("channel_weights must be between 0 and 1")
        positive = {
            "first_pass_half_life_days": self.first_pass_half_life_days,
            "retention_multiple": self.retention_multiple,
            "frequency_saturation": self.frequency_saturation,
            "reciprocity_saturation": self.reciprocity_saturation,
            "depth_saturation": self.depth_saturation,
            "duration_saturation_years": self.duration_saturation_years,
            "frequency_window_days": self.frequency_window_days,
            "ask_budget_months": self.ask_budget_months,
            "dormancy_multiple": self.dormancy_multiple,
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

    def half_life_for_tier(self, tier: int) -> float:
        """The recency half-life of a tier (a TIERS value, or 0 for beyond the last layer)."""
        return self.half_life_days[TIERS.index(tier)] if tier else self.half_life_outer_days

    def cadence_for_tier(self, tier: int) -> int:
        """The contact cadence of a tier in days (0: no cadence, beyond the last layer)."""
        return self.cadence_days[TIERS.index(tier)] if tier else 0


def _check_len(name: str, values: tuple[object, ...], n: int) -> None:
    if len(values) != n:
        raise ValidationError(f"{name} needs {n} values, got {len(values)}")


DEFAULT_PARAMS = Params()

__all__ = ["DAYS_PER_MONTH", "DEFAULT_PARAMS", "Params"]
