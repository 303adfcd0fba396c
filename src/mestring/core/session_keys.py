"""Names in the session that more than one app reads."""

# The citizen's login lives under its own key, apart from a staff login; the portal
# writes it, and the response headers for every signed-in session depend on it.
CITIZEN = "citizen"
# Which of the user's staff memberships (so which municipality) is active: chosen on
# the municipality page, read by the middleware that builds the actor.
ACTIVE_STAFF = "active_staff_id"
