from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.apps import apps
from django.db import models, transaction

from linli.api.errors import InvalidTransition


@dataclass(frozen=True)
class Workflow:
    """A model's transition table: action → (statuses it may start from, status it leads to).

    `actions` is the TextChoices of the actions (labels name them in error messages);
    `history` is the "app_label.Model" of the history rows (a `StatusChange` subclass).
    """

    transitions: Mapping[str, tuple[Iterable[str], str]]
    history: str
    actions: type[models.TextChoices] | None = None
    field: str = "status"

    def __post_init__(self):
        table = {
            str(action): (frozenset(str(s) for s in sources), str(target))
            for action, (sources, target) in self.transitions.items()
        }
        object.__setattr__(self, "transitions", table)

    @property
    def history_model(self) -> type[models.Model]:
        return apps.get_model(self.history)

    def sources(self, action: str) -> frozenset[str]:
        return self._entry(action)[0]

    def target(self, action: str) -> str:
        return self._entry(action)[1]

    def label(self, action: str) -> str:
        if self.actions is not None:
            try:
                return str(self.actions(action).label)
            except ValueError:
                pass
        return action

    def _entry(self, action: str) -> tuple[frozenset[str], str]:
        try:
            return self.transitions[str(action)]
        except KeyError:
            raise ValueError(f"unknown workflow action {action!r}") from None


def _workflow(obj) -> Workflow:
    workflow = getattr(type(obj), "workflow", None)
    if not isinstance(workflow, Workflow):
        raise TypeError(f"{type(obj).__name__} declares no workflow")
    return workflow


def _status_label(obj, workflow: Workflow) -> str:
    field = obj._meta.get_field(workflow.field)
    value = getattr(obj, workflow.field)
    return str(dict(field.flatchoices).get(value, value))


def lock(obj):
    """Lock `obj`'s row for the rest of the transaction and read its current status into it.

    Returns `obj` itself. A caller that locked first (to check other fields under the lock) passes
    `locked=True` to `transition()`, which then does not lock and re-read it again."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("lock() must run inside transaction.atomic()")
    workflow = _workflow(obj)
    current = type(obj)._base_manager.select_for_update().values_list(workflow.field, flat=True).get(pk=obj.pk)
    setattr(obj, workflow.field, current)
    return obj


def can(obj, action: str) -> bool:
    """Whether the table allows `action` from `obj`'s status (as loaded; no lock)."""
    workflow = _workflow(obj)
    return getattr(obj, workflow.field) in workflow.sources(action)


def available_actions(obj) -> list[str]:
    workflow = _workflow(obj)
    status = getattr(obj, workflow.field)
    return [action for action, (sources, _) in workflow.transitions.items() if status in sources]


def refuse(obj, what: str) -> InvalidTransition:
    """The platform's 409 for a step the status forbids that is not in the table ("不能再记录问题"):
    `raise refuse(inspection, "再记录问题")`."""
    workflow = _workflow(obj)
    return InvalidTransition(
        f"{obj._meta.verbose_name}当前为「{_status_label(obj, workflow)}」，不能{what}",
        extra={"status": getattr(obj, workflow.field)},
    )


def check(obj, action: str) -> None:
    """Raise `InvalidTransition` unless the table allows `action` from `obj`'s status (as loaded).

    For services that must refuse on the status before they look at the rest of the request;
    `transition()` checks again under the lock."""
    workflow = _workflow(obj)
    if getattr(obj, workflow.field) not in workflow.sources(action):
        raise refuse(obj, workflow.label(action))


def _history_row(obj, workflow: Workflow, *, action, from_status, actor, note, record):
    history = workflow.history_model
    return history.objects.create(
        **{history.subject_field: obj},
        action=str(action),
        from_status=from_status,
        to_status=getattr(obj, workflow.field),
        actor=actor,
        note=(note or "")[: history._meta.get_field("note").max_length],
        **(record or {}),
    )


def transition(
    obj, action: str, *, actor=None, note: str = "", record: dict | None = None, locked: bool = False, **changes
):
    """Apply `action` to `obj` under a row lock: check the table, save the new status and the field
    `changes`, write the history row (with extra `record` fields) and return it.

    Must run inside `transaction.atomic()`: the caller's other writes belong to the same step.
    `locked=True` says the caller already holds the row lock in this transaction (from `lock()` or
    `select_for_update()`) and `obj` was read under it."""
    workflow = _workflow(obj)
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("transition() must run inside transaction.atomic()")
    if not locked:
        lock(obj)
    check(obj, action)
    from_status = getattr(obj, workflow.field)
    setattr(obj, workflow.field, workflow.target(action))
    for name, value in changes.items():
        setattr(obj, name, value)
    fields = [workflow.field, *changes]
    if any(f.name == "updated_at" for f in obj._meta.concrete_fields):
        fields.append("updated_at")
    obj.save(update_fields=fields)
    return _history_row(obj, workflow, action=action, from_status=from_status, actor=actor, note=note, record=record)


def record_step(
    obj, action: str, *, actor=None, note: str = "", record: dict | None = None, from_status: str | None = None
):
    """A history row for a step that leaves the status as it is (a note, an escalation).

    The first step of an object's life (created, submitted) passes `from_status=""`: it came from nothing."""
    workflow = _workflow(obj)
    if from_status is None:
        from_status = getattr(obj, workflow.field)
    return _history_row(obj, workflow, action=action, from_status=from_status, actor=actor, note=note, record=record)
