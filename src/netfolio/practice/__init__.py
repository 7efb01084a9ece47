"""The practice: advice built from the measures, for what a user does every week.

* :mod:`~netfolio.practice.plan` — the weekly plan (build mode): whom to contact for no reason
  and how to give, within a weekly budget, spread across fields.
* :mod:`~netfolio.practice.ask` — ask mode: who is best placed to help with a need, who has the
  bandwidth, where your goodwill stands, and warm paths to people you do not know yet.
* :mod:`~netfolio.practice.coach` — openers that invite the other person to share, and a
  rule-based check of a draft.
* :mod:`~netfolio.practice.reminders` — the plan and birthdays as an iCalendar file.

Pure functions over a :class:`~netfolio.core.snapshot.Snapshot`, the measures and a few ledger
facts (:class:`~netfolio.core.practice_facts.LedgerFacts`): no I/O, no printing. Every suggestion
carries its reasons as data.
"""
