# language: nl
@gezamenlijk-besluit
Functionaliteit: Gezamenlijk besluit over de vestigingslocatie
  Uitgangspunt is dat de betreffende minister en de minister van BZK in gezamenlijkheid tot de
  vestigingslocatie komen: het ministerie neemt het BZK-advies over, of doet een ander voorstel
  waarmee BZK instemt. Daar waar men er samen niet uitkomt, wordt de departementale
  locatiekeuze samen met het BZK-advies, in één dossier, aan de MR voorgelegd. Het BZK-advies
  is niet dwingend (artikel 44 Grondwet): een besluit mag ervan afwijken; of het afwijkt,
  berekent het systeem uit de plaatsen, en een afwijking moet gemotiveerd worden.

  Achtergrond:
    Gegeven de Belastingdienst meldt een plan aan: groei met 150 fte in Den Haag
    En BZK heeft de beoordeling gestart
    En BZK heeft het gezamenlijk overleg geopend

  Scenario: Het ministerie neemt het advies over en besluit conform
    Als BZK advies uitbrengt om de dienst in Groningen te vestigen
    Dan staat de zaak op BZK-advies uitgebracht
    Als het ministerie het advies overneemt
    Dan staat de zaak op Overeenstemming
    En is de overeengekomen locatie Groningen
    Als het ministerie besluit tot 150 fte in Groningen, conform het advies
    Dan staat de zaak op Besloten
    En is het besluit genomen door het ministerie
    En wijkt het besluit niet af van het advies
    En is de zaak afgesloten

  Scenario: Na overeenstemming besluit het ministerie alleen op de overeengekomen locatie
    Gegeven BZK heeft advies uitgebracht om de dienst in Groningen te vestigen
    En het ministerie heeft het advies overgenomen
    Als het ministerie probeert te besluiten tot 150 fte in Assen
    Dan wordt dat geweigerd omdat eerst het advies heroverwogen moet worden
    En staat de zaak nog op Overeenstemming

  Scenario: Het ministerie vraagt om heroverweging van het advies
    Gegeven BZK heeft advies uitgebracht om de dienst in Groningen te vestigen
    Als het ministerie om heroverweging van het advies vraagt
    Dan staat de zaak weer op Gezamenlijk overleg
    Als BZK advies uitbrengt om de dienst in Zwolle te vestigen
    Dan staat de zaak op BZK-advies uitgebracht
    En luidt het BZK-advies: Zwolle

  @advies-niet-bindend
  Scenario: Het ministerie doet een ander voorstel en BZK stemt in
    Gegeven BZK heeft advies uitgebracht om de dienst in Groningen te vestigen
    Als het ministerie een ander voorstel doet: Assen, omdat "het personeel woont in Drenthe"
    Dan staat de zaak op Tegenvoorstel ministerie
    Als BZK instemt met het tegenvoorstel
    Dan staat de zaak op Overeenstemming
    En is de overeengekomen locatie Assen
    Als het ministerie besluit tot 150 fte in Assen, afwijkend van het advies
    Dan staat de zaak op Besloten
    En wijkt het besluit af van het advies
    En vermeldt het besluit dat het BZK-advies Groningen was

  Scenario: Het ministerie neemt het advies alsnog over na een tegenvoorstel
    Gegeven BZK heeft advies uitgebracht om de dienst in Groningen te vestigen
    En het ministerie heeft een ander voorstel gedaan: Assen, omdat "dichter bij de klant"
    Als het ministerie het advies overneemt
    Dan staat de zaak op Overeenstemming
    En is de overeengekomen locatie Groningen

  Scenario: Een tegenvoorstel kan ook weer in overleg worden gebracht
    Gegeven BZK heeft advies uitgebracht om de dienst in Groningen te vestigen
    En het ministerie heeft een ander voorstel gedaan: Assen, omdat "dichter bij de klant"
    Als het ministerie om heroverweging van het advies vraagt
    Dan staat de zaak weer op Gezamenlijk overleg

  Scenario: Ook na overeenstemming kan het advies worden heroverwogen
    Gegeven BZK heeft advies uitgebracht om de dienst in Groningen te vestigen
    En het ministerie heeft het advies overgenomen
    Als het ministerie om heroverweging van het advies vraagt
    Dan staat de zaak weer op Gezamenlijk overleg

  @mr
  Scenario: Daar waar men er samen niet uitkomt: BZK legt het tegenvoorstel aan de MR voor
    Gegeven BZK heeft advies uitgebracht om de dienst in Groningen te vestigen
    En het ministerie heeft een ander voorstel gedaan: Den Haag, omdat "de dienst ondersteunt het ministerie dagelijks"
    Als BZK de zaak voorlegt aan de ministerraad, omdat "wij komen er samen niet uit"
    Dan staat de zaak op Voorgelegd aan de ministerraad
    En bevat het dossier voor de ministerraad de keuze van het departement: Den Haag
    En bevat hetzelfde dossier het BZK-advies: Groningen
    En vermeldt het dossier de motivering van het departement "de dienst ondersteunt het ministerie dagelijks"

  @mr
  Scenario: BZK legt niet voor zolang het ministerie het advies nog niet heeft beantwoord
    Gegeven BZK heeft advies uitgebracht om de dienst in Groningen te vestigen
    Als BZK de zaak probeert voor te leggen aan de ministerraad, omdat "geen reactie"
    Dan wordt dat geweigerd omdat eerst het ministerie een tegenvoorstel moet doen
    En staat de zaak nog op BZK-advies uitgebracht

  @mr
  Scenario: BZK bepaalt niet wat de departementale locatiekeuze is
    Gegeven BZK heeft advies uitgebracht om de dienst in Groningen te vestigen
    En het ministerie heeft een ander voorstel gedaan: Zwolle, omdat "nabij de klant"
    Als BZK de zaak probeert voor te leggen aan de ministerraad met als keuze van het departement Groningen, omdat "samen niet uit"
    Dan wordt dat geweigerd omdat BZK de keuze van het departement niet invult
    En is er niets aan de audittrail toegevoegd

  @mr
  Scenario: Het ministerie legt zelf voor aan de ministerraad, die conform het advies besluit
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
  Scenario: De ministerraad mag afwijken van het BZK-advies, met motivering
    Gegeven BZK heeft advies uitgebracht om de dienst in Groningen te vestigen
    En het ministerie heeft de zaak voorgelegd aan de ministerraad met als eigen keuze Den Haag, omdat "de dienst ondersteunt het ministerie dagelijks"
    Als de ministerraad probeert te besluiten tot vestiging in Den Haag zonder motivering
    Dan wordt dat geweigerd omdat een afwijking van het advies gemotiveerd moet worden
    Als de ministerraad besluit tot vestiging in Den Haag, afwijkend van het advies
    Dan staat de zaak op Besloten
    En is het besluit genomen door de ministerraad
    En wijkt het besluit af van het advies
    En vermeldt het besluit dat het BZK-advies Groningen was
    En staat het besluit van de ministerraad in de audittrail

  @mr
  Scenario: Na een tegenvoorstel kan ook het ministerie voorleggen aan de ministerraad
    Gegeven BZK heeft advies uitgebracht om de dienst in Groningen te vestigen
    En het ministerie heeft een ander voorstel gedaan: Zwolle, omdat "nabij de klant"
    Als het ministerie de stap "Voorleggen aan de ministerraad" probeert te zetten
    Dan is de stap gelukt
    En bevat het dossier voor de ministerraad de keuze van het departement: Zwolle

  @advies-niet-bindend
  Scenario: Een besluit dat veel afwijkt van het aangemelde plan, moet gemotiveerd worden
    Gegeven BZK heeft advies uitgebracht om de dienst in Groningen te vestigen
    En het ministerie heeft het advies overgenomen
    Als het ministerie probeert te besluiten tot 20 fte in Groningen
    Dan wordt dat geweigerd omdat een groot verschil met het plan gemotiveerd moet worden
    Als het ministerie besluit tot 20 fte in Groningen met de motivering "de rest blijft in Den Haag"
    Dan staat de zaak op Besloten
    En wijkt het besluit niet af van het advies
