using System.Globalization;
using OpenWard.Clinical.Registration;
using OpenWard.DemoData;
using OpenWard.Web.Ui;

namespace OpenWard.Web.Tests.Ui;

public sealed class HospitalNumbersTests
{
    [Fact]
    public void Numbers_are_H_and_seven_digits_that_Find_a_patient_reads_as_hospital_numbers()
    {
        var random = new Random(4);
        for (var i = 0; i < 1000; i++)
        {
            var number = HospitalNumbers.Choose(random);
            Assert.Matches("^H[0-9]{7}$", number);
            Assert.Equal(new PatientQuery.ByHospitalNumber(number), PatientQuery.Parse(number));
        }
    }

    [Fact]
    public void Numbers_lie_above_every_number_the_demo_data_can_give()
    {
        var random = new Random(7);
        var values = Enumerable.Range(0, 5000).Select(_ => int.Parse(HospitalNumbers.Choose(random)[1..], CultureInfo.InvariantCulture)).ToList();

        // The demo data numbers its patients H0000001 to H + its patient count.
        Assert.All(values, v => Assert.InRange(v, DemoPopulation.MaxPatientCount + 1, 9_999_999));
        Assert.All(values, v => Assert.InRange(v, HospitalNumbers.First, HospitalNumbers.Last));
    }

    [Fact]
    public void Numbers_are_spread_over_the_range_not_counted_up()
    {
        var random = new Random(11);
        var values = Enumerable.Range(0, 200).Select(_ => HospitalNumbers.Choose(random)).ToList();

        Assert.True(values.Distinct(StringComparer.Ordinal).Count() >= 199, "200 draws from a million numbers should almost never repeat");
        Assert.Contains(values, v => v.CompareTo("H9500000") < 0);
        Assert.Contains(values, v => v.CompareTo("H9500000") > 0);
    }
}
