"""What casework tells the apps that stand on it.

A service decision is carried out elsewhere: the catalogue's waiting lists and
assignments refer to the decision. Casework does not reach up to them; it says, inside
the transaction that stops or replaces a decision, what happened, and the app that
carries out the service follows in that same transaction.
"""

from django.dispatch import Signal

# A decision no longer gives the service from a day: keyword arguments `actor`,
# `decision`, `on` (the day) and `note` (why, for the records that end).
decision_ended = Signal()

# A changed decision replaces the old one from a day: keyword arguments `actor`, `old`,
# `new` and `on`.
decision_replaced = Signal()
