# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""SIRENE files in INSEE's published column layout, generated (no network): the
tests' samples and the benchmark's million establishments."""

import csv
import random
from datetime import date, timedelta

#: StockEtablissement's columns, in the published order
ESTABLISHMENT_HEADER = (
    "siren,nic,siret,statutDiffusionEtablissement,dateCreationEtablissement,"
    "trancheEffectifsEtablissement,anneeEffectifsEtablissement,"
    "activitePrincipaleRegistreMetiersEtablissement,dateDernierTraitementEtablissement,"
    "etablissementSiege,nombrePeriodesEtablissement,complementAdresseEtablissement,"
    "numeroVoieEtablissement,indiceRepetitionEtablissement,"
    "dernierNumeroVoieEtablissement,indiceRepetitionDernierNumeroVoieEtablissement,"
    "typeVoieEtablissement,libelleVoieEtablissement,codePostalEtablissement,"
    "libelleCommuneEtablissement,libelleCommuneEtrangerEtablissement,"
    "distributionSpecialeEtablissement,codeCommuneEtablissement,"
    "codeCedexEtablissement,libelleCedexEtablissement,codePaysEtrangerEtablissement,"
    "libellePaysEtrangerEtablissement,identifiantAdresseEtablissement,"
    "coordonneeLambertAbscisseEtablissement,coordonneeLambertOrdonneeEtablissement,"
    "complementAdresse2Etablissement,numeroVoie2Etablissement,"
    "indiceRepetition2Etablissement,typeVoie2Etablissement,libelleVoie2Etablissement,"
    "codePostal2Etablissement,libelleCommune2Etablissement,"
    "libelleCommuneEtranger2Etablissement,distributionSpeciale2Etablissement,"
    "codeCommune2Etablissement,codeCedex2Etablissement,libelleCedex2Etablissement,"
    "codePaysEtranger2Etablissement,libellePaysEtranger2Etablissement,dateDebut,"
    "etatAdministratifEtablissement,enseigne1Etablissement,enseigne2Etablissement,"
    "enseigne3Etablissement,denominationUsuelleEtablissement,"
    "activitePrincipaleEtablissement,nomenclatureActivitePrincipaleEtablissement,"
    "caractereEmployeurEtablissement"
).split(",")
#: StockUniteLegale's columns, in the published order
UNIT_HEADER = (
    "siren,statutDiffusionUniteLegale,unitePurgeeUniteLegale,dateCreationUniteLegale,"
    "sigleUniteLegale,sexeUniteLegale,prenom1UniteLegale,prenom2UniteLegale,"
    "prenom3UniteLegale,prenom4UniteLegale,prenomUsuelUniteLegale,"
    "pseudonymeUniteLegale,identifiantAssociationUniteLegale,"
    "trancheEffectifsUniteLegale,anneeEffectifsUniteLegale,"
    "dateDernierTraitementUniteLegale,nombrePeriodesUniteLegale,categorieEntreprise,"
    "anneeCategorieEntreprise,dateDebut,etatAdministratifUniteLegale,nomUniteLegale,"
    "nomUsageUniteLegale,denominationUniteLegale,denominationUsuelle1UniteLegale,"
    "denominationUsuelle2UniteLegale,denominationUsuelle3UniteLegale,"
    "categorieJuridiqueUniteLegale,activitePrincipaleUniteLegale,"
    "nomenclatureActivitePrincipaleUniteLegale,nicSiegeUniteLegale,"
    "economieSocialeSolidaireUniteLegale,societeMissionUniteLegale,"
    "caractereEmployeurUniteLegale"
).split(",")


def establishment(siret, commune, created, naf="47.11B", diffusible=True, **extra):
    """A row of the establishments file (a dict by column name)."""
    row = dict.fromkeys(ESTABLISHMENT_HEADER, "")
    row.update(
        siren=siret[:9],
        nic=siret[9:],
        siret=siret,
        statutDiffusionEtablissement="O" if diffusible else "P",
        dateCreationEtablissement=str(created),
        trancheEffectifsEtablissement="NN",
        codeCommuneEtablissement=commune,
        etatAdministratifEtablissement="A",
        activitePrincipaleEtablissement=naf,
        nomenclatureActivitePrincipaleEtablissement="NAFRev2",
        etablissementSiege="true",
        dateDebut=str(created),
    )
    row.update(extra)
    return row


def sole_trader(siren, first_name, last_name, created, diffusible=True, **extra):
    """A row of the legal units file: an entrepreneur individuel."""
    row = dict.fromkeys(UNIT_HEADER, "")
    row.update(
        siren=siren,
        statutDiffusionUniteLegale="O" if diffusible else "P",
        dateCreationUniteLegale=str(created),
        prenom1UniteLegale=first_name if diffusible else "[ND]",
        prenomUsuelUniteLegale=first_name if diffusible else "[ND]",
        nomUniteLegale=last_name if diffusible else "[ND]",
        categorieJuridiqueUniteLegale="1000",
        etatAdministratifUniteLegale="A",
    )
    row.update(extra)
    return row


def company(siren, name, created, category="5499", **extra):
    """A row of the legal units file: a company (SARL by default)."""
    row = dict.fromkeys(UNIT_HEADER, "")
    row.update(
        siren=siren,
        statutDiffusionUniteLegale="O",
        dateCreationUniteLegale=str(created),
        denominationUniteLegale=name,
        categorieJuridiqueUniteLegale=category,
        etatAdministratifUniteLegale="A",
    )
    row.update(extra)
    return row


def write_csv(stream, header, rows):
    """Write `rows` (dicts) to a text stream, as INSEE does (comma, header)."""
    writer = csv.DictWriter(stream, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)


def random_rows(count, communes, seed=1, start=date(2020, 1, 1), days=2500):
    """`count` random establishments in `communes` (INSEE codes), with their legal
    units: yields (establishment row, unit row)."""
    rng = random.Random(seed)
    first_names = ("MARIE", "JEAN", "PAUL", "SOPHIE", "LUC", "EMMA", "LEA", "HUGO")
    last_names = ("MARTIN", "BERNARD", "DUBOIS", "THOMAS", "ROBERT", "PETIT", "DURAND")
    nafs = ("47.11B", "56.10A", "43.21A", "62.01Z", "96.02A", "10.71C", "70.22Z")
    for number in range(count):
        siren = f"{100000000 + number:09d}"
        created = start + timedelta(days=rng.randrange(days))
        diffusible = rng.random() > 0.03
        est = establishment(
            f"{siren}00011",
            rng.choice(communes),
            created,
            naf=rng.choice(nafs),
            diffusible=diffusible,
        )
        if rng.random() < 0.6:
            unit = sole_trader(
                siren,
                rng.choice(first_names),
                f"{rng.choice(last_names)}{number % 997}",
                created,
                diffusible=diffusible,
            )
        else:
            unit = company(siren, f"SOCIETE {number}", created)
        yield est, unit
