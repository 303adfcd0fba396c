"""Names in the session that more than one app reads.

The citizen's login lives under its own key, apart from a staff login; the portal
writes it, and the response headers for every signed-in session depend on it."""

CITIZEN = "citizen"
