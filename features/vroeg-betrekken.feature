# language: nl
@vroeg-betrekken
Functionaliteit: Zo vroeg mogelijk het gesprek met BZK
  Organisaties houden zo vroeg mogelijk in hun ontwikkeltraject rekening met het
  regioperspectief en de spreidingseffecten en gaan het gesprek met het ministerie van BZK
  aan. Een ministerie meldt daarom al een voornemen: de organisatie, het soort plan, een
  schatting van de fte en de huidige locatie; een beoogde locatie en een termijn mogen erbij.
  Met "Plan indienen" wordt het voornemen een plan dat BZK beoordeelt. Bij een nieuwe dienst
  doet BZK het voorstel voor de vestigingslocatie: het ministerie hoeft die niet te noemen.

  Scenario: Een voornemen wordt een plan
    Gegeven het is maandag 20 april 2026
    En het ministerie heeft een voornemen gemeld: groei met 120 fte in Den Haag
    Dan staat de zaak op Voornemen
    En verloopt de termijn op donderdag 21 mei 2026
    Als het ministerie het plan indient met 160 fte
    Dan staat de zaak op Aangemeld
    En telt het plan 160 fte

  @maatregel-2
  Scenario: Een nieuwe dienst wordt aangemeld zonder locatie; BZK doet het voorstel
    Gegeven DUO meldt een plan aan: een nieuwe dienst van 300 fte zonder locatie
    En BZK heeft de beoordeling gestart
    En BZK heeft het gezamenlijk overleg geopend
    Als BZK advies uitbrengt om de dienst in Leeuwarden te vestigen
    En het ministerie het advies overneemt
    Dan is de overeengekomen locatie Leeuwarden
