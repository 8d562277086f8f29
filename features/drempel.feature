# language: nl
Functionaliteit: Drempel: welke plannen BZK beoordeelt
  De beslisnota spreiding rijksdiensten (30 april 2024) zegt wanneer BZK adviseert:
  - een bestaande rijksdienst groeit of krimpt met 100 fte of meer: een locatieadvies;
  - een nieuwe rijksdienst of eenheid van 100 fte of meer: een voorstel voor de vestigingslocatie;
  - een hervestiging van 100 fte of meer;
  - een nieuw masterplan kantoorhuisvesting, of een Verzoek tot Wijziging op een masterplan:
    een voorstel waar de huisvesting komt, ongeacht het aantal fte.
  Een plan onder de drempel valt buiten de reikwijdte: BZK adviseert er niet over.

  @maatregel-1 @maatregel-2 @maatregel-3 @principe-4
  Abstract Scenario: <plan> valt <oordeel> de reikwijdte
    Gegeven de Belastingdienst meldt een plan aan: <plan>
    Als BZK de beoordeling start
    Dan valt de zaak <oordeel> de reikwijdte

    Voorbeelden: Groei van een bestaande rijksdienst
      | plan                        | oordeel |
      | groei met 99 fte in Zwolle  | buiten  |
      | groei met 100 fte in Zwolle | binnen  |
      | groei met 101 fte in Zwolle | binnen  |

    Voorbeelden: Krimp van een bestaande rijksdienst
      | plan                           | oordeel |
      | krimp met 99 fte in Den Haag   | buiten  |
      | krimp met 100 fte in Den Haag  | binnen  |
      | krimp met 101 fte in Den Haag  | binnen  |

    Voorbeelden: Een nieuwe rijksdienst of eenheid
      | plan                                   | oordeel |
      | een nieuwe dienst van 99 fte in Assen  | buiten  |
      | een nieuwe dienst van 100 fte in Assen | binnen  |

    Voorbeelden: Hervestiging
      | plan                                             | oordeel |
      | hervestiging van 99 fte van Den Haag naar Emmen  | buiten  |
      | hervestiging van 100 fte van Den Haag naar Emmen | binnen  |

    Voorbeelden: Masterplan en Verzoek tot Wijziging vallen altijd binnen de reikwijdte
      | plan                                                  | oordeel |
      | een nieuw masterplan kantoorhuisvesting in Zwolle     | binnen  |
      | een Verzoek tot Wijziging op het masterplan in Zwolle | binnen  |

  @maatregel-1
  Scenario: Een plan onder de drempel gaat niet in gezamenlijk overleg
    Gegeven de Belastingdienst meldt een plan aan: groei met 80 fte in Zwolle
    En BZK heeft de beoordeling gestart
    Als BZK het gezamenlijk overleg probeert te openen
    Dan wordt dat geweigerd omdat de zaak niet binnen de reikwijdte valt
    En staat de zaak nog op In beoordeling
    Als BZK de zaak buiten reikwijdte verklaart
    Dan staat de zaak op Buiten reikwijdte
    En is de zaak afgesloten

  @maatregel-1
  Scenario: Een plan vanaf de drempel kan niet buiten de reikwijdte worden verklaard
    Gegeven de Belastingdienst meldt een plan aan: groei met 100 fte in Zwolle
    En BZK heeft de beoordeling gestart
    Als BZK de zaak buiten reikwijdte probeert te verklaren
    Dan wordt dat geweigerd omdat de zaak onder de drempel moet liggen
    Als BZK het gezamenlijk overleg opent
    Dan staat de zaak op Gezamenlijk overleg
