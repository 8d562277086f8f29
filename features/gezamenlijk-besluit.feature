# language: nl
@gezamenlijk-besluit
Functionaliteit: Gezamenlijk besluit over de vestigingslocatie
  De verantwoordelijke minister en BZK streven ernaar samen tot een locatie te komen
  (gezamenlijk overleg). Lukt dat niet, dan gaat de locatiekeuze van het departement samen
  met het BZK-advies, in één dossier, naar de ministerraad. Het besluit van de ministerraad
  geeft de doorslag. Het advies van BZK is niet bindend (artikel 44 Grondwet): een besluit mag
  ervan afwijken, maar die afwijking wordt vastgelegd.

  Achtergrond:
    Gegeven de Belastingdienst meldt een plan aan: groei met 150 fte in Den Haag
    En BZK heeft de beoordeling gestart
    En BZK heeft het gezamenlijk overleg geopend

  Scenario: Ministerie en BZK worden het eens
    Als BZK advies uitbrengt om de dienst in Groningen te vestigen
    Dan staat de zaak op BZK-advies uitgebracht
    Als het ministerie overeenstemming bereikt over vestiging in Groningen
    Dan staat de zaak op Overeenstemming
    Als het ministerie besluit tot 150 fte in Groningen, conform het advies
    Dan staat de zaak op Besloten
    En is het besluit genomen door het ministerie
    En wijkt het besluit niet af van het advies
    En is de zaak afgesloten

  Scenario: Het ministerie vraagt om heroverweging van het advies
    Gegeven BZK heeft advies uitgebracht om de dienst in Groningen te vestigen
    Als het ministerie om heroverweging van het advies vraagt
    Dan staat de zaak weer op Gezamenlijk overleg
    Als BZK advies uitbrengt om de dienst in Zwolle te vestigen
    Dan staat de zaak op BZK-advies uitgebracht
    En luidt het BZK-advies: Zwolle

  @mr
  Scenario: Geen overeenstemming: de ministerraad beslist op één dossier
    Gegeven BZK heeft advies uitgebracht om de dienst in Groningen te vestigen
    Als het ministerie de zaak voorlegt aan de ministerraad met als eigen keuze Den Haag, omdat "de dienst ondersteunt het ministerie dagelijks"
    Dan staat de zaak op Voorgelegd aan de ministerraad
    En bevat het dossier voor de ministerraad de keuze van het departement: Den Haag
    En bevat hetzelfde dossier het BZK-advies: Groningen
    Als de ministerraad besluit tot vestiging in Groningen, conform het advies
    Dan staat de zaak op Besloten
    En is het besluit genomen door de ministerraad
    En wijkt het besluit niet af van het advies

  @mr @advies-niet-bindend
  Scenario: De ministerraad mag afwijken van het BZK-advies; dat wordt vastgelegd
    Gegeven BZK heeft advies uitgebracht om de dienst in Groningen te vestigen
    En het ministerie heeft de zaak voorgelegd aan de ministerraad met als eigen keuze Den Haag, omdat "de dienst ondersteunt het ministerie dagelijks"
    Als de ministerraad besluit tot vestiging in Den Haag, afwijkend van het advies
    Dan staat de zaak op Besloten
    En is het besluit genomen door de ministerraad
    En wijkt het besluit af van het advies
    En vermeldt het besluit dat het BZK-advies Groningen was
    En staat het besluit van de ministerraad in de audittrail

  @advies-niet-bindend
  Scenario: Ook het ministerie mag na overeenstemming afwijken van het advies
    Gegeven BZK heeft advies uitgebracht om de dienst in Groningen te vestigen
    En het ministerie heeft overeenstemming bereikt over vestiging in Assen
    Als het ministerie besluit tot 120 fte in Assen, afwijkend van het advies
    Dan staat de zaak op Besloten
    En wijkt het besluit af van het advies
    En vermeldt het besluit dat het BZK-advies Groningen was
