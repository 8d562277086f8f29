# language: nl
Functionaliteit: Richtinggevende principes: krimp in, groei buiten de Randstad
  Principe 3: krimp van een organisatie vindt in principe plaats in de Randstad.
  Principe 4: groei en hervestiging vinden in principe plaats in provincies buiten de Randstad.
  Een plan dat daarvan afwijkt is niet verboden, maar moet worden gemotiveerd: bij de
  beoordeling krijgt de zaak een signaal.
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
