# language: nl
Functionaliteit: Richtinggevende principes: krimp in, groei buiten de Randstad
  Principe 3: krimp van een organisatie vindt in principe plaats in de Randstad.
  Principe 4: groei en hervestiging vinden in principe plaats in provincies buiten de Randstad.
  Een plan dat daarvan afwijkt is niet verboden, maar moet worden gemotiveerd: bij de
  beoordeling krijgt de zaak een signaal. Het signaal volgt waar de fte terechtkomen: bij groei,
  een nieuwe dienst en hervestiging het beoogde doel als dat er is, anders de locatie; bij
  krimp de locatie. Een tegenvoorstel, overeenstemming of besluit dat de fte verplaatst,
  berekent het signaal opnieuw. Een zaak met een signaal wordt pas besloten als het advies het
  signaal rechtvaardigt of het ministerie het motiveert.
  Welke provincies tot de Randstad horen is een instelling: standaard Noord-Holland,
  Zuid-Holland en Utrecht; in sommige definities hoort Flevoland erbij.

  @principe-3 @principe-4
  Abstract Scenario: <plan>: <signaal>
    Gegeven de Randstad bestaat uit Noord-Holland, Zuid-Holland en Utrecht
    En de Belastingdienst meldt een plan aan: <plan>
    Als BZK de beoordeling start
    Dan krijgt de zaak <signaal>

    Voorbeelden: Krimp
      | plan                            | signaal                                              |
      | krimp met 150 fte in Den Haag   | geen signaal                                         |
      | krimp met 150 fte in Groningen  | het signaal "krimp buiten de Randstad: motiveren"    |

    Voorbeelden: Groei en een nieuwe dienst
      | plan                                      | signaal                                        |
      | groei met 150 fte in Utrecht              | het signaal "groei in de Randstad: motiveren"  |
      | groei met 150 fte in Zwolle               | geen signaal                                   |
      | een nieuwe dienst van 200 fte in Haarlem  | het signaal "groei in de Randstad: motiveren"  |
      | een nieuwe dienst van 200 fte in Leeuwarden | geen signaal                                 |

    Voorbeelden: Groei: het gaat om waar de fte terechtkomen
      | plan                                            | signaal                                       |
      | groei met 150 fte van Den Haag naar Groningen   | geen signaal                                  |
      | groei met 150 fte van Groningen naar Amsterdam  | het signaal "groei in de Randstad: motiveren" |

    Voorbeelden: Hervestiging: het gaat om waar de dienst naartoe gaat
      | plan                                              | signaal                                        |
      | hervestiging van 150 fte van Zwolle naar Rotterdam | het signaal "groei in de Randstad: motiveren" |
      | hervestiging van 150 fte van Den Haag naar Assen   | geen signaal                                  |

  @principe-3 @principe-4
  Abstract Scenario: De Randstad als instelling: <plan> als de Randstad bestaat uit <randstad>
    Gegeven de Randstad bestaat uit <randstad>
    En de Belastingdienst meldt een plan aan: <plan>
    Als BZK de beoordeling start
    Dan krijgt de zaak <signaal>

    Voorbeelden: Zonder Flevoland
      | randstad                                | plan                           | signaal                                           |
      | Noord-Holland, Zuid-Holland en Utrecht  | groei met 150 fte in Almere    | geen signaal                                      |
      | Noord-Holland, Zuid-Holland en Utrecht  | krimp met 150 fte in Lelystad  | het signaal "krimp buiten de Randstad: motiveren" |

    Voorbeelden: Met Flevoland
      | randstad                                          | plan                           | signaal                                       |
      | Noord-Holland, Zuid-Holland, Utrecht en Flevoland | groei met 150 fte in Almere    | het signaal "groei in de Randstad: motiveren" |
      | Noord-Holland, Zuid-Holland, Utrecht en Flevoland | krimp met 150 fte in Lelystad  | geen signaal                                  |

  @principe-4
  Scenario: Een tegenvoorstel dat de groei in de Randstad houdt, krijgt het signaal opnieuw
    Gegeven de Belastingdienst meldt een plan aan: groei met 150 fte van Den Haag naar Groningen
    En BZK heeft de beoordeling gestart
    En BZK heeft het gezamenlijk overleg geopend
    En BZK heeft advies uitgebracht om de dienst in Groningen te vestigen
    Dan krijgt de zaak geen signaal
    Als het ministerie een ander voorstel doet: Utrecht, omdat "dicht bij de ketenpartners"
    Dan krijgt de zaak het signaal "groei in de Randstad: motiveren"

  @principe-4
  Scenario: Een zaak met een signaal wordt niet besloten zonder rechtvaardiging of motivering
    Gegeven de Belastingdienst meldt een plan aan: groei met 150 fte in Den Haag
    En BZK heeft de beoordeling gestart
    En BZK heeft het gezamenlijk overleg geopend
    En BZK heeft advies uitgebracht om de dienst in Den Haag te vestigen
    En het ministerie heeft het advies overgenomen
    Als het ministerie probeert te besluiten tot 150 fte in Den Haag
    Dan wordt dat geweigerd omdat elk signaal gemotiveerd moet worden
    Als het ministerie besluit tot 150 fte in Den Haag met de motivering "de dienst werkt voor het kerndepartement"
    Dan staat de zaak op Besloten

  @principe-3
  Scenario: Het advies rechtvaardigt het signaal
    Gegeven de Rechtspraak meldt een plan aan: krimp met 150 fte in Groningen
    En BZK heeft de beoordeling gestart
    En BZK heeft het gezamenlijk overleg geopend
    En BZK heeft advies uitgebracht om de dienst in Groningen te vestigen, want "de gerechtelijke kaart bepaalt de zetel"
    En het ministerie heeft het advies overgenomen
    Als het ministerie besluit tot 150 fte in Groningen, conform het advies
    Dan staat de zaak op Besloten
