"""Match keys for the importers: the identity keys of :mod:`netfolio.core.identity`.

Parsers keep values as found and call these only where a canonical form is the value itself
(LinkedIn URLs); the pipeline indexes them. They are lenient: None when a text is not one.
"""

from __future__ import annotations

from netfolio.core.identity import email_key as normalise_email
from netfolio.core.identity import fold_name, normalise_linkedin_url
from netfolio.core.identity import phone_key as normalise_phone

__all__ = ["fold_name", "normalise_email", "normalise_linkedin_url", "normalise_phone"]
