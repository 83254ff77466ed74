"""A memo that lives for one request (issue 12): what a page reads several times while it is
built — the editions in force of an organisation, the working-day calendar — is read once.

The memo exists only between Django's request_started and request_finished signals (the
WSGI handler and the test client both send them), so code outside a request (services
called from the shell, Celery, tests) always reads the database. Saving or deleting a model
that a memoised value is built from empties the memo, so a request that changes an edition
or a working-day override and reads it again sees the change.

A value that may follow any row (who may see which schedule line, R20) is memoised as
`volatile`: any save or delete of any model during the request drops it. Queryset `update()`
and bulk writes send no signals, so code that writes that way and then reads the same value
again in one request must not rely on the memo (no view does: a write answers with a redirect).
"""

import contextvars
from collections.abc import Callable
from typing import TypeVar

from django.core.signals import request_finished, request_started
from django.db.models.signals import m2m_changed, post_delete, post_save

T = TypeVar("T")
_memo: contextvars.ContextVar[dict | None] = contextvars.ContextVar("bagalau_request_memo", default=None)
# Models whose rows memoised values are built from (app_label.ModelName).
SOURCES = {"appraisal.MethodologyEdition", "appraisal.RuleValidity", "appraisal.WorkingDayOverride",
           "appraisal.Organisation"}


VOLATILE = "volatile"


def memoised(key: tuple, compute: Callable[[], T], *, volatile: bool = False) -> T:
    """compute() once per request for `key`; outside a request, every time. A volatile value
    is dropped by any write of any model (see the module's docstring)."""
    store = _memo.get()
    if store is None:
        return compute()
    if volatile:
        store = store.setdefault(VOLATILE, {})
    if key not in store:
        store[key] = compute()
    return store[key]


def _start(**_kwargs) -> None:
    _memo.set({})


def _finish(**_kwargs) -> None:
    _memo.set(None)


def _source_changed(sender, **_kwargs) -> None:
    store = _memo.get()
    if not store:
        return
    if sender._meta.label in SOURCES:
        store.clear()
    else:
        store.pop(VOLATILE, None)


request_started.connect(_start, dispatch_uid="bagalau_request_memo_start")
request_finished.connect(_finish, dispatch_uid="bagalau_request_memo_finish")
post_save.connect(_source_changed, dispatch_uid="bagalau_request_memo_save")
post_delete.connect(_source_changed, dispatch_uid="bagalau_request_memo_delete")
m2m_changed.connect(_source_changed, dispatch_uid="bagalau_request_memo_m2m")
