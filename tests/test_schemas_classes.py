"""A schema class (a subclass of :class:`~communs_ledger.schemas.Schema`, no decorator)
behaves as the ``@dataclass(frozen=True)`` it replaces: each check below builds the same
class both ways and compares what Python answers, error messages included."""

from __future__ import annotations

import copy
import dataclasses
import pickle
from dataclasses import KW_ONLY, dataclass

import pytest

from communs_ledger.application.configuration import ConfigFile
from communs_ledger.config import Association, CoreConfigFile, ExerciceConfig
from communs_ledger.schemas import ErreurSchema, Schema, champ


class Ligne(Schema):
    compte: str = champ(min_longueur=1)
    montant: int = 0
    notes: list[str] = champ(default_factory=list)
    cache: str = dataclasses.field(default="", repr=False, compare=False)


@dataclass(frozen=True)
class LigneDataclass:
    compte: str
    montant: int = 0
    notes: list[str] = dataclasses.field(default_factory=list)
    cache: str = dataclasses.field(default="", repr=False, compare=False)


class Nommee(Schema, kw_only=True):
    nom: str
    rang: int = 1


@dataclass(frozen=True, kw_only=True)
class NommeeDataclass:
    nom: str
    rang: int = 1


class Mixte(Schema):
    code: str
    _: KW_ONLY
    debut: int
    fin: int = 9


@dataclass(frozen=True)
class MixteDataclass:
    code: str
    _: KW_ONLY
    debut: int
    fin: int = 9


class Trois(Schema):
    a: int
    b: int
    c: int


@dataclass(frozen=True)
class TroisDataclass:
    a: int
    b: int
    c: int


def _message(call: object) -> str:
    with pytest.raises(TypeError) as raised:
        call()  # type: ignore[operator]
    return str(raised.value).replace("Dataclass", "")


def test_repr_equality_and_hash_are_the_dataclass_ones() -> None:
    ours, theirs = Ligne("606", 12, ["a"], "x"), LigneDataclass("606", 12, ["a"], "x")
    assert repr(ours) == repr(theirs).replace("LigneDataclass", "Ligne")
    assert repr(ours) == "Ligne(compte='606', montant=12, notes=['a'])"  # cache: repr=False
    assert Ligne("606", 12, ["a"], "x") == Ligne("606", 12, ["a"], "y")  # compare=False
    assert Ligne("606", 12) != Ligne("606", 13)
    assert Ligne("606") != LigneDataclass("606")  # another class is never equal
    assert Ligne("606").__eq__(("606", 0, [])) is NotImplemented
    assert hash(Nommee(nom="a")) == hash(NommeeDataclass(nom="a"))  # hash of the field tuple
    assert hash(Nommee(nom="a", rang=2)) == hash(("a", 2))
    with pytest.raises(TypeError, match="unhashable type: 'list'"):
        hash(Ligne("606"))  # a list field, as with the dataclass


def test_fields_are_frozen() -> None:
    ours = Ligne("606")
    with pytest.raises(dataclasses.FrozenInstanceError, match="cannot assign to field 'montant'"):
        ours.montant = 3  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError, match="cannot assign to field 'autre'"):
        ours.autre = 3  # type: ignore[attr-defined]
    with pytest.raises(dataclasses.FrozenInstanceError, match="cannot delete field 'montant'"):
        del ours.montant  # type: ignore[misc]


def test_defaults_factories_and_validation_in_init() -> None:
    first, second = Ligne("606"), Ligne("606")
    assert first.notes == [] and first.notes is not second.notes  # one list each
    assert Ligne(compte=" 606 ").compte == "606"  # __post_init__ converts (strips texts)
    with pytest.raises(ErreurSchema, match="ne doit pas être vide"):
        Ligne("")  # and checks
    assert ExerciceConfig(debut="1-9").debut == "01-09"


def test_signature_errors_are_those_of_the_dataclass_init() -> None:
    pairs = [
        (lambda: Ligne(), lambda: LigneDataclass()),
        (lambda: Ligne("1", 2, [], "", 5), lambda: LigneDataclass("1", 2, [], "", 5)),
        (lambda: Ligne("1", compte="2"), lambda: LigneDataclass("1", compte="2")),
        (lambda: Ligne("1", autre=2), lambda: LigneDataclass("1", autre=2)),
        (lambda: Nommee("a"), lambda: NommeeDataclass("a")),
        (lambda: Nommee(), lambda: NommeeDataclass()),
        (lambda: Mixte(), lambda: MixteDataclass()),
        (lambda: Mixte("a"), lambda: MixteDataclass("a")),
        (lambda: Mixte("a", 1), lambda: MixteDataclass("a", 1)),
        (lambda: Mixte("a", 1, fin=2), lambda: MixteDataclass("a", 1, fin=2)),
        (lambda: Trois(), lambda: TroisDataclass()),
        (lambda: Trois(1), lambda: TroisDataclass(1)),
        (lambda: Trois(1, 2, 3, 4), lambda: TroisDataclass(1, 2, 3, 4)),
    ]
    for ours, theirs in pairs:
        assert _message(ours) == _message(theirs)
    assert Mixte("a", debut=1) == Mixte(code="a", debut=1, fin=9)


def test_dataclass_functions_copies_and_pickles() -> None:
    ours = Ligne("606", 12, ["a"])
    assert dataclasses.is_dataclass(ours)
    assert [spec.name for spec in dataclasses.fields(ours)] == [
        "compte",
        "montant",
        "notes",
        "cache",
    ]
    assert dataclasses.replace(ours, montant=3) == Ligne("606", 3, ["a"])
    assert dataclasses.asdict(ours) == {"compte": "606", "montant": 12, "notes": ["a"], "cache": ""}
    assert copy.deepcopy(ours) == ours and copy.copy(ours) == ours
    assert pickle.loads(pickle.dumps(ours)) == ours
    assert Ligne.__match_args__ == ("compte", "montant", "notes", "cache")


def test_the_config_schemas_are_schema_dataclasses() -> None:
    config = ConfigFile()
    assert isinstance(config, CoreConfigFile) and dataclasses.is_dataclass(config)
    assert config == ConfigFile() and config != CoreConfigFile()
    assert repr(Association(nom="Les Jardins")) == (
        "Association(nom='Les Jardins', sigle=None, siren=None, siret=None, rna=None, "
        "adresse=None, objet=None)"
    )
    assert ConfigFile.depuis({"association": {"nom": "A"}}).association == Association(nom="A")
