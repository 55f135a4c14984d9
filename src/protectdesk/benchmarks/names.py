"""Fictional names for generated defenders and actors, by language.

Common given names and surnames combined at random: no combination is meant to be a real
person, and every generated name is marked "(fictional)" as the demo's are.
"""

from __future__ import annotations

import random

# fmt: off
GIVEN: dict[str, tuple[str, ...]] = {
    "es": (
        "Ana", "Lucía", "María José", "Carmen", "Rosa", "Juana", "Luz Marina", "Yolanda",
        "Diana", "Marta", "Elena", "Patricia", "José", "Luis", "Carlos", "Jorge", "Miguel",
        "Francisco", "Andrés", "Juan Pablo", "Óscar", "Rigoberto", "Esteban", "Víctor",
    ),
    "pt": (
        "Maria", "Ana Clara", "Francisca", "Antônia", "Adriana", "Juliana", "Raimunda",
        "Luana", "Tereza", "Beatriz", "João", "José", "Antônio", "Francisco", "Carlos",
        "Paulo", "Raimundo", "Sebastião", "Marcos", "Damião", "Edvaldo", "Benedito",
    ),
    "fr": (
        "Aminata", "Fatou", "Mariam", "Awa", "Claire", "Nadège", "Espérance", "Chantal",
        "Aïcha", "Mireille", "Moussa", "Ibrahim", "Jean-Baptiste", "Serge", "Didier",
        "Amadou", "Boubacar", "Patrice", "Olivier", "Emmanuel", "Issa", "Alain",
    ),
    "en": (
        "Grace", "Mercy", "Faith", "Esther", "Wanjiru", "Achieng", "Naledi", "Ruth",
        "Joyce", "Priya", "Samuel", "Joseph", "Peter", "Daniel", "Otieno", "Kamau",
        "Thabo", "Emmanuel", "David", "Isaac", "Moses", "Arjun",
    ),
}

FAMILY: dict[str, tuple[str, ...]] = {
    "es": (
        "García", "Hernández", "López", "Mejía", "Torres", "Ramírez", "Cruz", "Morales",
        "Ortiz", "Castillo", "Vásquez", "Chávez", "Mosquera", "Palacios", "Asprilla",
        "Tzoc", "Xol", "Caal", "Pérez", "Ixcoy", "Batz", "Sandoval", "Quintero", "Rentería",
    ),
    "pt": (
        "da Silva", "dos Santos", "Oliveira", "Souza", "Pereira", "Ferreira", "Lima",
        "Costa", "Carvalho", "Almeida", "Ribeiro", "Rodrigues", "Gomes", "Barbosa",
        "Nascimento", "Araújo", "Guajajara", "Munduruku", "Cardoso", "Moreira",
    ),
    "fr": (
        "Diallo", "Traoré", "Koné", "Ouédraogo", "Sawadogo", "Camara", "Keïta", "Diop",
        "Ndiaye", "Mukendi", "Kabila", "Tshibanda", "Nkurunziza", "Habimana", "Bamba",
        "Coulibaly", "Sanogo", "Kaboré", "Mbuyi", "Ilunga",
    ),
    "en": (
        "Wanjiku", "Odhiambo", "Mwangi", "Kiprop", "Achieng", "Njoroge", "Mutua", "Nkosi",
        "Dlamini", "Mokoena", "Banda", "Phiri", "Okello", "Nakato", "Mensah", "Boateng",
        "Sharma", "Thapa", "Tamang", "Gurung",
    ),
}


# fmt: on


def person(language: str, rng: random.Random) -> str:
    """A fictional full name in the language's naming conventions (two surnames in Spanish)."""
    given = rng.choice(GIVEN[language])
    family = rng.choice(FAMILY[language])
    if language == "es":
        family = f"{family} {rng.choice(FAMILY[language])}"
    return f"{given} {family}"
