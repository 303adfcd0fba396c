"""What the catalogue tells the apps that carry out a service.

Assigning a granted service to a provider unit is the allocation office's act; the
work it starts belongs to the unit's own app (a rehabilitation programme's episode, a
stay on the bed board). The catalogue does not reach up to them: it says, inside the
transaction that makes the assignment, what was assigned, and the app that carries out
the service makes its work item in that same transaction.
"""

from django.dispatch import Signal

# A decision was assigned to a unit: keyword arguments `actor` and `assignment`.
assignment_made = Signal()

# An assignment ended (by its own end date or because its decision stopped or became a
# refusal): keyword arguments `actor`, `assignment` and `on` (the last day it is in force).
assignment_ended = Signal()
