"""A history row keeps its whole reason: reasons are sentences in the rule's words, some with a
user's text in them (an R67 recommendation, an R13 re-evaluation). With simple-history's
default varchar(100) PostgreSQL refused such a save with a DataError while SQLite let it pass."""

from tests.factories import EmployeeFactory


def test_a_history_reason_longer_than_100_characters_is_kept_whole(db):
    employee = EmployeeFactory()
    reason = "п. 67: Комиссия рекомендовала пересмотреть решение; " + "основание " * 30
    employee._change_reason = reason
    employee.save()
    assert employee.history.latest().history_change_reason == reason
