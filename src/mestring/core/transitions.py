"""Moved to the kernel; kept while the apps move over."""

from mestring.kernel.states import TransitionNotAllowed, check_transition

__all__ = ["TransitionNotAllowed", "check_transition"]
