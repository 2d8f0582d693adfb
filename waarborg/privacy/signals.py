"""Signals other parts listen to (the access/portability packages, the erasure engine).

Each is sent inside the transaction of the change, with `request` (a PrivacyRequest) and `actor`.
"""

from django.dispatch import Signal

request_verified = Signal()  # the identity check passed: packages may be built
erasure_plan_approved = Signal()  # staff approved the erasure plan: the engine may execute it
request_closed = Signal()  # completed or refused
