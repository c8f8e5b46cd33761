"""The collector pause around loads (:mod:`communs_ledger.gc_pause`): what it leaves in
which generation, and that it frees cycles and keeps a deliberate freeze."""

from __future__ import annotations

import gc
import weakref

from communs_ledger.gc_pause import gc_paused


class _Node:
    def __init__(self) -> None:
        self.other: _Node | None = None


def test_objects_left_by_the_block_go_to_the_oldest_generation() -> None:
    with gc_paused():
        kept = [[index] for index in range(50)]
    oldest = {id(item) for item in gc.get_objects(generation=2)}
    assert all(id(item) in oldest for item in kept)
    assert gc.get_count()[0] < 50  # not counted as young objects to collect
    assert gc.isenabled()


def test_a_cycle_left_by_the_block_is_freed_by_the_next_full_collection() -> None:
    with gc_paused():
        first, second = _Node(), _Node()
        first.other, second.other = second, first
        watch = weakref.ref(first)
    del first, second
    assert watch() is not None  # a cycle: reference counting alone does not free it
    gc.collect()
    assert watch() is None


def test_a_deliberate_freeze_is_kept() -> None:
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        with gc_paused():
            young = [[index] for index in range(50)]
        # Neither undone (0) nor extended by the block's objects; it may shrink a little,
        # since frozen objects that lose their last reference are still freed.
        assert 0 < gc.get_freeze_count() <= frozen
        assert id(young[0]) not in {id(item) for item in gc.get_objects(generation=2)}
    finally:
        gc.unfreeze()


def test_freeze_moves_the_objects_to_the_permanent_generation() -> None:
    before = gc.get_freeze_count()
    try:
        with gc_paused(freeze=True):
            kept = [[index] for index in range(50)]
        assert gc.get_freeze_count() >= before + len(kept)
    finally:
        gc.unfreeze()


def test_the_collector_state_is_restored() -> None:
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
