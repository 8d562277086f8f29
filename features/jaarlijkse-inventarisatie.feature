# language: nl
@jaarlijkse-rapportage
Functionaliteit: Jaarlijkse inventarisatie van de rijkswerkgelegenheid
  Elk jaar leveren de ministeries het aantal fte van hun organisaties per gemeente aan,
  geteld op 1 januari (de peildatum). BZK laadt de leveringen, herinnert de ministeries die
  nog niet leverden en stelt de rapportage over de spreiding aan de Tweede Kamer op.

  Achtergrond:
    Gegeven de demonstratiegegevens met twaalf ministeries

  Scenario: De leveringen van alle ministeries leiden tot de rapportage
    Gegeven elk ministerie heeft zijn opgave over 1 januari 2023 aangeleverd
    Als de jaarlijkse inventarisatie over 2023 draait
    Dan telt de rapportage 336.270 fte
    En vermeldt de rapportage dat het om synthetische demodata gaat
    En bevat de rapportage kaarten, een staafdiagram en tabellen per provincie en per sector

  Regel: Een nieuwe levering vervangt de oude

    Scenario: Een verbeterde opgave telt, de eerdere blijft bewaard
      Gegeven het ministerie OCW heeft zijn opgave over 2023 aangeleverd
      Als het ministerie OCW een verbeterde opgave aanlevert met 100 fte meer
      Dan telt voor 2023 alleen de verbeterde opgave van OCW
      En blijft de eerdere opgave van OCW bewaard

    Scenario: Dezelfde opgave twee keer verandert niets
      Gegeven het ministerie OCW heeft zijn opgave over 2023 aangeleverd
      Als het ministerie OCW dezelfde opgave nog eens aanlevert
      Dan is er niets veranderd

  Regel: Een opgave is van één ministerie en wordt helemaal of niet geladen

    Scenario: Een opgave met organisaties van twee ministeries wordt geweigerd
      Als een opgave organisaties van OCW en van Defensie bevat
      Dan wordt de opgave geweigerd met een melding die regel 5 noemt
      En is er niets van geladen

    Scenario: Een foutieve opgave wordt overgeslagen, de andere worden geladen
      Gegeven elk ministerie heeft zijn opgave over 1 januari 2023 aangeleverd
      Maar in de opgave van BZK staat op regel 5 een negatief aantal fte
      Als de jaarlijkse inventarisatie over 2023 draait
      Dan is de opgave van BZK geweigerd met een melding die regel 5 en de kolom fte noemt
      En zijn de opgaven van de andere 11 ministeries geladen
      En telt de rapportage 336.270 fte

  Regel: Wie niet leverde krijgt één herinnering per jaar

    Scenario: Een ministerie zonder opgave krijgt één herinnering, ook als de inventarisatie vaker draait
      Gegeven het "Ministerie van Nieuwe Zaken" met contactadres "nz@example.nl"
      En elk ministerie heeft zijn opgave over 1 januari 2023 aangeleverd
      Als de jaarlijkse inventarisatie over 2023 twee keer draait
      Dan heeft "nz@example.nl" precies één herinnering ontvangen
      En heeft verder niemand een herinnering ontvangen
      En noemt de rapportage de cijfers voorlopig

  Regel: Een inventarisatie die opnieuw draait geeft hetzelfde resultaat

    Scenario: Een tweede run geeft dezelfde rapportage en niets dubbel
      Gegeven elk ministerie heeft zijn opgave over 1 januari 2023 aangeleverd
      Als de jaarlijkse inventarisatie over 2023 twee keer draait
      Dan is de rapportage van de tweede keer gelijk aan die van de eerste
      En zijn er geen leveringen dubbel geladen
