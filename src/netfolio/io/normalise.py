"""Match keys for the importers: the identity keys of :mod:`netfolio.core.identity`.

Parsers keep values as found and call these only where a canonical form is the value itself
(LinkedIn URLs); the pipeline indexes them. They are lenient: None when a text is not one
(the strict ``normalise_email`` and ``normalise_phone`` of :mod:`netfolio.core.identity`,
which raise on bad input, are for what a user types).
"""

from __future__ import annotations

from netfolio.core.identity import email_key, fold_name, normalise_linkedin_url, phone_key

__all__ = ["email_key", "fold_name", "normalise_linkedin_url", "phone_key"]
