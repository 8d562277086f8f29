# language: nl
@procentuele-verdeling
Functionaliteit: Projectie van rijkswerkgelegenheid met de richtinggevende principes
  Om de Kamer eerlijk te vertellen wat de nieuwe aanpak kan doen voor het aandeel
  rijkswerkgelegenheid buiten de Randstad, rekent de analist de komende jaren vooruit.
  Elk plan van 100 fte of meer wordt in het model een casus die dezelfde procedure doorloopt
  als in het casussysteem; waar het plan landt, bepalen de richtinggevende principes, de
  uitzonderingen, de ministerraad en de capaciteit van het Rijksvastgoedbedrijf.

  Achtergrond:
    Gegeven de synthetische demodata met peildatum 1 januari 2023
    En een rustig scenario: geen autonome groei, geen taakstelling en geen plannen

  @principe-4
  Scenario: Groei en nieuwe eenheden landen buiten de Randstad
    Gegeven gemiddeld 15 groeiplannen en 5 nieuwe eenheden per jaar
    En de principes worden volledig nageleefd zonder uitzonderingen
    Als het model 5 jaar vooruit rekent
    Dan blijft het aantal fte in de Randstad in elke replicatie gelijk
    En groeit het aantal fte buiten de Randstad in elke replicatie

  @principe-4
  Scenario: Zonder de principes groeit de Randstad mee
    Gegeven gemiddeld 15 groeiplannen en 5 nieuwe eenheden per jaar
    En de principes worden niet toegepast
    Als het model 5 jaar vooruit rekent
    Dan groeit het aantal fte in de Randstad in de mediaan

  @principe-3
  Scenario: Krimp valt eerst in de Randstad
    Gegeven gemiddeld 10 krimpplannen per jaar
    En de principes worden volledig nageleefd zonder uitzonderingen
    Als het model 5 jaar vooruit rekent, en ook zonder de principes
    Dan krimpt de Randstad in elke replicatie minstens zoveel als zonder de principes
    En is het aandeel buiten de Randstad in de mediaan hoger dan zonder de principes

  @principe-2 @principe-5
  Scenario: Groei gaat bij voorkeur naar regio's met geregistreerde kansen
    Gegeven gemiddeld 15 groeiplannen en 5 nieuwe eenheden per jaar
    En regionale kansen alleen in Groningen en Drenthe
    En de principes worden volledig nageleefd zonder uitzonderingen
    Als het model 5 jaar vooruit rekent
    Dan groeien alleen Groningen en Drenthe

  @afweging-primair-proces @afweging-wettelijke-locatie @afweging-huisvesting
  Abstract Scenario: Een uitzondering laat het eigen plan van het ministerie staan
    Gegeven gemiddeld 15 groeiplannen en 5 nieuwe eenheden per jaar
    En de principes gelden, maar <uitzondering> geldt altijd
    Als het model 5 jaar vooruit rekent, en ook zonder de principes
    Dan is de verdeling in elke replicatie gelijk aan die zonder de principes

    Voorbeelden:
      | uitzondering                        |
      | een zwaarwegend primair proces      |
      | een wettelijke vestigingsplaats     |
      | het vermijden van hoge huisvesting  |

  @mr @advies-niet-bindend
  Scenario: Een ministerraad die het advies niet volgt, laat het eigen plan staan
    Gegeven gemiddeld 15 groeiplannen en 5 nieuwe eenheden per jaar
    En elke casus gaat na het BZK-advies naar de ministerraad
    En de ministerraad volgt het BZK-advies nooit
    Als het model 5 jaar vooruit rekent, en ook zonder de principes
    Dan is de verdeling in elke replicatie gelijk aan die zonder de principes

  Scenario: Een ingetrokken plan gaat niet door
    Gegeven gemiddeld 15 groeiplannen en 5 nieuwe eenheden per jaar
    En elke casus wordt bij aanmelding ingetrokken
    Als het model 5 jaar vooruit rekent
    Dan is de verdeling in elke replicatie gelijk aan die op de peildatum

  @rvb-capaciteit
  Scenario: Een krappe capaciteit van het Rijksvastgoedbedrijf vertraagt de verhuizing
    Gegeven gemiddeld 15 groeiplannen en 5 nieuwe eenheden per jaar
    En het Rijksvastgoedbedrijf voert 1 project tegelijk uit
    Als het model 5 jaar vooruit rekent, en ook met ruime capaciteit
    Dan zijn na 3 jaar in elke replicatie minder fte verhuisd dan met ruime capaciteit
